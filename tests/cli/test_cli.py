"""The `planbot` command as a user runs it: a real process, real files, exit codes 0/1/2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

DATA_DIR = Path(tempfile.mkdtemp(prefix="planbot-cli-"))


def planbot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "PLANBOT_DATA_DIR": str(DATA_DIR)}
    return subprocess.run(
        [sys.executable, "-m", "planbot", *args],
        check=False,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def plan_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("cli")
    r = planbot("draft", str(EXAMPLES / "beauty-tmall-douyin-2027.yaml"), "--json", cwd=tmp)
    assert r.returncode == 0, r.stderr
    path = tmp / "plan.json"
    path.write_text(r.stdout, encoding="utf-8")
    return path


def test_draft_json_prints_a_plan(plan_json: Path) -> None:
    plan = json.loads(plan_json.read_text(encoding="utf-8"))
    assert plan["brief"]["brand"] == "花漾" and plan["budget"]["total"] == 15_000_000


def test_draft_writes_documents(tmp_path: Path) -> None:
    r = planbot("draft", str(EXAMPLES / "us-shopify-amazon-2027.yaml"), "--format", "md,html,docx,xlsx,pdf",
                "--out", "docs", cwd=tmp_path)  # fmt: skip
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in (tmp_path / "docs").iterdir())
    assert names == [f"Trailhead-20270101-20271231-v1.{ext}" for ext in ("docx", "html", "md", "pdf", "xlsx")]
    assert (tmp_path / "docs" / names[3]).read_bytes().startswith(b"%PDF")


def test_draft_from_prose(tmp_path: Path) -> None:
    r = planbot("draft", str(EXAMPLES / "cold-start-6-months.txt"), "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["period"] == {"start": "2027-03-01", "end": "2027-08-31"}


def test_validate_accepts_a_drafted_plan(plan_json: Path) -> None:
    r = planbot("validate", str(plan_json), cwd=plan_json.parent)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1].startswith("valid: ")  # a result on stdout, after any warnings


def test_validate_rejects_a_hand_edited_channel_amount(plan_json: Path, tmp_path: Path) -> None:
    plan = json.loads(plan_json.read_text(encoding="utf-8"))
    plan["budget"]["by_channel"][0]["amount"] += 12_345
    bad = tmp_path / "edited.json"
    bad.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    r = planbot("validate", str(bad), cwd=tmp_path)
    assert r.returncode == 1
    assert "budget.by_channel" in r.stdout and "not a valid plan" in r.stderr
    as_json = json.loads(planbot("validate", str(bad), "--json", cwd=tmp_path).stdout)
    assert as_json["valid"] is False and any(i["path"].startswith("budget.by_channel") for i in as_json["issues"])


def test_render_refuses_invalid_and_renders_valid(plan_json: Path, tmp_path: Path) -> None:
    ok = planbot("render", str(plan_json), "--out", str(tmp_path / "r"), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert len(list((tmp_path / "r").glob("*.md"))) == 1
    plan = json.loads(plan_json.read_text(encoding="utf-8"))
    plan["calendar"]["campaigns"][0]["mechanics"][0].update(threshold=9, discount=20)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(plan), encoding="utf-8")
    r = planbot("render", str(bad), cwd=tmp_path)
    assert r.returncode == 1 and "discount" in r.stderr


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ("platforms: [天猫]\nbudget_total: 100000\n", ".yaml", "missing required fields: period, gmv_target"),
        ("budget_total: -3\n", ".yaml", "budget_total"),
        ("{not json", ".json", "not valid JSON"),
        ("", ".txt", "empty"),
    ],
)
def test_bad_briefs_exit_1_with_a_reason(tmp_path: Path, content: str, suffix: str, message: str) -> None:
    path = tmp_path / f"brief{suffix}"
    path.write_text(content, encoding="utf-8")
    r = planbot("draft", str(path), cwd=tmp_path)
    assert r.returncode == 1
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    r = planbot("draft", str(EXAMPLES / "jd-baby-double11.yaml"), "--format", "pptx", cwd=tmp_path)
    assert r.returncode == 2


def test_schema(tmp_path: Path) -> None:
    r = planbot("schema", "brief", cwd=tmp_path)
    assert r.returncode == 0
    schema = json.loads(r.stdout)
    assert "budget_total" in schema["properties"]
    plan_schema = json.loads(planbot("schema", "plan", cwd=tmp_path).stdout)
    assert {"summary", "budget", "calendar", "sources"} <= set(plan_schema["properties"])


def test_ingest_search_and_remove(tmp_path: Path) -> None:
    guide = tmp_path / "livestream-guide.md"
    guide.write_text(
        "# 直播指南\n\n## 直播排期\n品牌自播每周固定三场，大促期间每天直播，直播后当天复盘。\n", encoding="utf-8"
    )
    first = planbot("ingest", str(guide), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split("\t")[1:4] == ["livestream-guide", "added", "1"]  # piped: a tab-separated row
    again_json = json.loads(planbot("ingest", str(guide), "--json", cwd=tmp_path).stdout)
    assert again_json == [{"file": str(guide), "doc_id": "livestream-guide", "status": "unchanged", "chunks": 1,
                           "note": ""}]  # fmt: skip
    r = planbot("search", "直播排期怎么安排", "-k", "3", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    hits = json.loads(r.stdout)["hits"]
    assert hits[0]["doc_id"] == "livestream-guide"
    assert set(hits[0]) == {"chunk_id", "doc_id", "title", "score", "text", "source"}
    assert hits[0]["source"] == "shipped"  # the operator's CLI ingest belongs to nobody, like knowledge/
    only = planbot("search", "直播排期怎么安排", "--source", "uploaded", "--json", cwd=tmp_path)
    assert only.returncode == 0 and json.loads(only.stdout)["hits"] == []
    bad = planbot("search", "直播排期", "--source", "mine", cwd=tmp_path)
    assert bad.returncode != 0 and "--source must be uploaded or shipped" in bad.stderr
    assert planbot("knowledge", "remove", "livestream-guide", cwd=tmp_path).returncode == 0
    again = json.loads(planbot("search", "直播排期怎么安排", "--json", cwd=tmp_path).stdout)["hits"]
    assert all(h["doc_id"] != "livestream-guide" for h in again)
    assert planbot("knowledge", "remove", "livestream-guide", cwd=tmp_path).returncode == 1


def test_ingest_reports_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    r = planbot("ingest", str(bad), cwd=tmp_path)
    assert r.returncode == 1 and "failed" in r.stdout and "1 failed" in r.stderr


def test_chat_in_the_terminal_and_resume(tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "200", "PLANBOT_DATA_DIR": str(DATA_DIR)}
    script = "户外用品，天猫+抖音，2027年GMV目标8000万，预算一千万\n生成方案\nexit\n"
    r = subprocess.run([sys.executable, "-m", "planbot", "chat"], input=script, env=env, cwd=tmp_path,
                       capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "方案已生成（第1版）" in r.stdout and "¥80,000,000" in r.stdout
    sid = r.stdout.split("continue with `planbot chat --session ")[1].split("`")[0].strip()
    r = subprocess.run([sys.executable, "-m", "planbot", "chat", "--session", sid], input="去掉双12\n", env=env,
                       cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert r.returncode == 0 and "第2版" in r.stdout


def test_keys_create_list_revoke(tmp_path: Path) -> None:
    r = planbot("keys", "create", "reporting", cwd=tmp_path)
    key = r.stdout.strip()
    assert r.returncode == 0 and key.startswith("pb_") and "cannot be shown again" in r.stderr
    listed = planbot("keys", "list", "--json", cwd=tmp_path)
    rows = json.loads(listed.stdout)
    assert any(k["name"] == "reporting" and not k["revoked"] for k in rows) and key not in listed.stdout
    assert planbot("keys", "revoke", "reporting", cwd=tmp_path).returncode == 0
    assert planbot("keys", "revoke", "reporting", cwd=tmp_path).returncode == 1
    assert planbot("keys", "create", "", cwd=tmp_path).returncode == 1


def test_draft_reads_notes_as_the_marketer_wrote_them(tmp_path: Path) -> None:
    notes = tmp_path / "NOTES.txt"
    notes.write_text(
        "Want a plan for our sock brand Toastie on Amazon. About 350k to spend on marketing next year; "
        "we did $2M this year and want $2.6M next year. We have 3 warehouses and 5 agents. "
        "Also want to try some Meta ads.",
        encoding="utf-8",
    )
    r = planbot("draft", str(notes), "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    plan = json.loads(r.stdout)
    b = plan["brief"]
    assert (b["brand"], b["budget_total"], b["gmv_last_year"], b["gmv_target"]) == ("Toastie", 350_000, 2_000_000,
                                                                                    2_600_000)  # fmt: skip
    next_year = date.today().year + 1  # "next year" is read on the day the CLI runs
    assert b["platforms"] == ["Amazon"] and b["currency"] == "USD" and b["period"]["start"] == f"{next_year}-01-01"
    assert any(c["key"] == "test_meta" and c["amount"] > 0 for c in plan["channels"]["items"])


def test_draft_names_a_refused_figure(tmp_path: Path) -> None:
    notes = tmp_path / "NOTES.txt"
    notes.write_text("天猫，2027年全年，预算-500万，GMV目标5000万", encoding="utf-8")
    r = planbot("draft", str(notes), cwd=tmp_path)
    assert r.returncode == 1 and "预算“-500万”没法用" in r.stderr and "Traceback" not in r.stderr


def test_ingest_reports_passage_progress_in_a_pipe(tmp_path: Path) -> None:
    page = tmp_path / "long-page.txt"
    sentences = [f"第{i}条规则：大促第{i}天的直播间要在晚上{i % 12 + 1}点前完成第{i}轮福利预告，复盘时记录加购人数。"
                 for i in range(1, 90)]  # fmt: skip
    page.write_text("".join(sentences), encoding="utf-8")
    r = planbot("ingest", str(page), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("indexing long-page.txt:")]
    total = int(lines[-1].split(" of ")[1].split()[0])
    assert total >= 10 and lines[0] == f"indexing long-page.txt: 0 of {total} passages"
    assert lines[-1] == f"indexing long-page.txt: {total} of {total} passages" and 2 <= len(lines) <= 11
