"""What a user gets from the CLI in a pipe: results on stdout (never cut), logs on stderr, and the data dir
named, created only where expected."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planbot.config import REPO_ROOT
from tests.servers import knowledge_template

LONG_TITLE = "An uncommonly long guide title about livestream scheduling, creator seeding and membership coupons"


def run(*args: str, cwd: Path, data: Path | None, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "PLANBOT_DATA_DIR"}
    environ.update(COLUMNS="80", **env)  # a narrow terminal width: piped output must not care
    if data is not None:
        environ["PLANBOT_DATA_DIR"] = str(data)
    return subprocess.run([sys.executable, "-m", "planbot", *args], cwd=cwd, env=environ, capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return knowledge_template(tmp_path_factory.mktemp("cli-output"))


def test_piped_lists_are_whole_rows_on_stdout(data: Path, tmp_path: Path) -> None:
    guide = tmp_path / "a-guide-whose-id-is-longer-than-a-narrow-column-shows.md"
    guide.write_text(
        f"# {LONG_TITLE}\n\n## 排期\n品牌自播每周固定三场，大促期间每天直播，直播后当天复盘。\n", encoding="utf-8"
    )
    assert run("ingest", str(guide), cwd=tmp_path, data=data).returncode == 0
    listed = run("knowledge", "list", cwd=tmp_path, data=data)
    assert listed.returncode == 0 and listed.stderr == ""
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    ids = [
        json_doc["doc_id"]
        for json_doc in json.loads(run("knowledge", "list", "--json", cwd=tmp_path, data=data).stdout)
    ]
    assert [r[0] for r in rows] == ids and all(len(r) == 5 for r in rows)
    mine = next(r for r in rows if r[0] == guide.stem)
    assert mine[1] == LONG_TITLE  # nothing cut
    removed = run("knowledge", "remove", rows[ids.index(guide.stem)][0], cwd=tmp_path, data=data)  # ids work as given
    assert removed.returncode == 0, removed.stderr


def test_search_results_go_to_stdout(data: Path, tmp_path: Path) -> None:
    r = run("search", "应急储备留多少预算", "-k", "2", cwd=tmp_path, data=data)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("1. ") and "2. " in r.stdout and "预算" in r.stdout
    assert "预算" not in r.stderr


def test_keys_list_in_a_pipe(data: Path, tmp_path: Path) -> None:
    created = run("keys", "create", "reporting-bot", cwd=tmp_path, data=data)
    assert created.returncode == 0 and created.stdout.startswith("pb_")
    listed = run("keys", "list", cwd=tmp_path, data=data)
    (row,) = [line.split("\t") for line in listed.stdout.splitlines() if "\treporting-bot\t" in line]
    assert run("keys", "revoke", row[0], cwd=tmp_path, data=data).returncode == 0


def test_a_missing_path_is_named_and_the_others_still_ingest(data: Path, tmp_path: Path) -> None:
    guide = tmp_path / "camp.md"
    guide.write_text("# 露营节\n\n## 露营节会员日\n露营节会员日每月第二个周六举行，提前三天蓄水。\n", encoding="utf-8")
    r = run("ingest", str(guide), str(tmp_path / "my-guides"), cwd=tmp_path, data=data)
    assert r.returncode == 1
    assert f"{tmp_path / 'my-guides'} does not exist" in r.stderr and "Traceback" not in r.stderr
    assert "\tcamp\tadded\t" in r.stdout
    hits = json.loads(run("search", "露营节会员日", "--json", cwd=tmp_path, data=data).stdout)["hits"]
    assert hits[0]["doc_id"] == "camp"


def test_the_default_data_dir_does_not_depend_on_the_working_directory(tmp_path: Path) -> None:
    code = "from planbot.config import Settings; print(Settings().data_dir)"
    environ = {k: v for k, v in os.environ.items() if k != "PLANBOT_DATA_DIR"}
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=environ, capture_output=True, text=True,
                       check=True, timeout=60)  # fmt: skip
    assert Path(r.stdout.strip()) == REPO_ROOT / "data"


def test_reading_commands_refuse_a_data_dir_that_does_not_exist(tmp_path: Path) -> None:
    nowhere = tmp_path / "elsewhere" / "data"
    for args in (("knowledge", "list"), ("search", "预算"), ("keys", "list"), ("knowledge", "remove", "x")):
        r = run(*args, cwd=tmp_path, data=nowhere)
        assert r.returncode == 1, args
        assert f"no planbot data in {nowhere}" in r.stderr and "PLANBOT_DATA_DIR" in r.stderr, r.stderr
        assert not nowhere.exists()  # nothing was built there


def test_writing_commands_say_where_the_data_goes(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh-data"
    guide = tmp_path / "tiny.md"
    guide.write_text("# 小指南\n\n## 复盘\n每场直播后当天复盘数据，三个工作日内出报告。\n", encoding="utf-8")
    r = run("ingest", str(guide), cwd=tmp_path, data=fresh)
    assert r.returncode == 0, r.stderr
    assert f"created the data dir {fresh}" in r.stderr and (fresh / "knowledge.json").exists()
    again = run("ingest", str(guide), cwd=tmp_path, data=fresh)
    assert f"data: {fresh}" in again.stderr
