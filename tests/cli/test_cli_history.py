"""The brand history on the command line (issue 23): `planbot template history` writes the template
(zh/en, CSV/XLSX) the reader reads back; `planbot draft BRIEF --history FILE` builds the plan with it;
a file that cannot be read fails (exit 1) with the reader's message naming the row and column."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from planbot.history_read import read_history
from tests.conftest import EXAMPLES
from tests.service.history_data import BAD_ROW, monthly_csv

DATA_DIR = Path(tempfile.mkdtemp(prefix="planbot-cli-history-"))
BRIEF = EXAMPLES / "beauty-tmall-douyin-2027.yaml"


def planbot(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "COLUMNS": "200", "PLANBOT_DATA_DIR": str(DATA_DIR)}
    return subprocess.run([sys.executable, "-m", "planbot", *args], check=False, cwd=cwd, env=env,
                          capture_output=True, timeout=300)  # fmt: skip


@pytest.mark.parametrize(("lang", "fmt"), [("zh", "csv"), ("zh", "xlsx"), ("en", "csv"), ("en", "xlsx")])
def test_template_history_writes_a_file_the_reader_reads(tmp_path: Path, lang: str, fmt: str) -> None:
    r = planbot("template", "history", "--lang", lang, "--format", fmt, cwd=tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    path = tmp_path / f"planbot-history-template-{lang}.{fmt}"
    assert r.stdout.decode().strip() == str(path.relative_to(tmp_path))
    reading = read_history(path.name, path.read_bytes())
    headers = [c.header for c in reading.columns]
    assert ("月份" in headers) if lang == "zh" else ("Month" in headers)


def test_template_history_to_a_named_file_and_to_stdout(tmp_path: Path) -> None:
    r = planbot("template", "history", "--lang", "en", "-o", "mine.csv", cwd=tmp_path)
    assert r.returncode == 0 and (tmp_path / "mine.csv").read_bytes().decode("utf-8-sig").startswith("Month,")
    out = planbot("template", "history", "-o", "-", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.decode("utf-8-sig").startswith("月份,")
    bad = planbot("template", "history", "--lang", "fr", cwd=tmp_path)
    assert bad.returncode == 2  # usage error, as Typer answers an unknown choice


def test_draft_with_history_builds_the_plan_with_it(tmp_path: Path) -> None:
    (tmp_path / "sales.csv").write_bytes(monthly_csv(12))
    r = planbot("draft", str(BRIEF), "--history", "sales.csv", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    plan = json.loads(r.stdout)
    history = plan["brief"]["history"]
    assert history["source"]["file"] == "sales.csv" and len(history["months"]) == 12
    assert history["months"][0]["gmv"] == 1_200_000
    assert "sales.csv" in r.stderr.decode() and "2025-12" in r.stderr.decode()  # what was read, on stderr


def test_draft_with_a_bad_history_names_row_and_column(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_bytes(monthly_csv(6, bad="abc"))
    r = planbot("draft", str(BRIEF), "--history", "bad.csv", "--json", cwd=tmp_path)
    err = r.stderr.decode()
    assert r.returncode == 1 and r.stdout == b""
    assert "error:" in err and "bad.csv" in err and f"第 {BAD_ROW} 行" in err and "abc" in err and "成交额" in err
    missing = planbot("draft", str(BRIEF), "--history", "nope.csv", cwd=tmp_path)
    assert missing.returncode == 1 and "nope.csv does not exist" in missing.stderr.decode()
