"""Every bash block of the README runs as written, in order, on a fresh data dir (issue 14).

A block may be marked on the line before it: `<!-- readme-test: serve (...) -->` starts it in the
background and waits for /readyz (the blocks after it talk to that server); `<!-- readme-test: skip
(why) -->` is not run and must say why. Port 8000 in the README becomes a free port here; nothing
else is rewritten. Blocks run in a scratch folder holding links to the checkout's .venv, examples/
and knowledge/, so what they write (plan.json, out/) never lands in the repository.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from planbot.retrieval.index import KnowledgeIndex
from tests.servers import ROOT, free_port

README = ROOT / "README.md"
BLOCK = re.compile(r"(?:<!-- readme-test: (?P<mode>\w+)(?P<why>[^\n]*?)-->\n)?```bash\n(?P<body>.*?)```", re.S)


@dataclass(frozen=True)
class Block:
    line: int
    mode: str  # run | serve | skip
    why: str
    body: str


def blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    return [
        Block(text[: m.start()].count("\n") + 1, m["mode"] or "run", (m["why"] or "").strip(" ()"), m["body"])
        for m in BLOCK.finditer(text)
    ]


def test_the_readme_blocks_are_known() -> None:
    found = blocks()
    assert len(found) >= 9
    assert {b.mode for b in found} <= {"run", "serve", "skip"}
    assert all(b.why for b in found if b.mode == "skip")  # a skipped block says why
    assert sum(b.mode == "skip" for b in found) <= 3


@pytest.fixture
def servers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # `make run` and the server it started
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def wait_ready(proc: subprocess.Popen[bytes], port: int, log: Path, block: Block) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"README line {block.line}: {block.body!r} exited {proc.returncode}:\n{log.read_text()[-3000:]}"
            )
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"README line {block.line}: {block.body!r} never became ready:\n{log.read_text()[-3000:]}")


def test_every_readme_command_runs_as_written(
    tmp_path: Path, template: Path, servers: list[subprocess.Popen[bytes]]
) -> None:
    if not (ROOT / ".venv" / ".installed").exists():
        if os.environ.get("CI"):
            pytest.fail("the README's commands need the venv that `make install` builds")
        pytest.skip("run `make install` first: the README's commands use .venv/bin/planbot")
    work = tmp_path / "work"
    work.mkdir()
    for name in (".venv", "examples", "knowledge"):
        (work / name).symlink_to(ROOT / name)
    data = tmp_path / "data"
    shutil.copytree(template, data)  # knowledge/ indexed by the real CLI: a fresh data dir, minus the wait
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    env.update(PLANBOT_DATA_DIR=str(data), PLANBOT_WARM_UP="false", COLUMNS="200")
    port = 0
    state = tmp_path / "shell-state.sh"
    for block in blocks():
        if block.mode == "skip":
            continue
        if block.mode == "serve":
            for proc in servers:
                stop(proc)
            port = free_port()
            body = block.body.replace("8000", str(port))
            log = tmp_path / f"serve-{block.line}.log"
            cwd = ROOT if body.lstrip().startswith("make ") else work  # make runs where the Makefile is
            proc = subprocess.Popen(["bash", "-c", body], cwd=cwd, env={**env, "PLANBOT_PORT": str(port)},
                                    stdin=subprocess.DEVNULL, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                                    start_new_session=True)  # fmt: skip
            servers.append(proc)
            wait_ready(proc, port, log, block)
            continue
        body = block.body.replace("localhost:8000", f"localhost:{port}")
        # one shell session, as a reader would type it: variables and functions carry to later blocks
        keep = [f"declare -p {v}" for v in re.findall(r"^(\w+)=", body, re.M)]
        keep += [f"declare -f {f}" for f in re.findall(r"^(\w+)\(\)", body, re.M)]
        body = f"[ -f {state} ] && source {state}\n{body}\n" + "".join(f"{k} >> {state}\n" for k in keep)
        r = subprocess.run(["bash", "-euo", "pipefail", "-c", body], cwd=work, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
        assert r.returncode == 0, f"README line {block.line} failed ({r.returncode}):\n{block.body}\n{r.stderr[-3000:]}"

    # what the blocks said they would make is there
    assert json.loads((work / "plan.json").read_text(encoding="utf-8"))["brief"]["brand"] == "Trailhead"
    adopted = json.loads((work / "plan-v1.json").read_text(encoding="utf-8"))  # read with the adopting key
    assert adopted["version"] == 1 and adopted["plan"]["brief"]["platforms"] == ["天猫", "抖音"]
    assert sorted(p.suffix for p in (work / "out").iterdir()) == [".docx", ".html", ".md", ".pdf", ".xlsx"]
    assert (work / "plan.md").read_text(encoding="utf-8").startswith("# ")
    assert json.loads((work / "plan.schema.json").read_text(encoding="utf-8"))["title"] == "Plan"
    assert (work / "ci-bot.key").read_text().startswith("pb_")
    assert not (ROOT / "out").exists() or not any((ROOT / "out").iterdir())  # nothing written into the checkout


def test_the_readme_search_example_holds_on_the_shipped_guides(retriever: KnowledgeIndex) -> None:
    text = README.read_text(encoding="utf-8")
    claim = re.search(r'so "([^"]+)" reaches the English global calendar guide', text)
    assert claim, "the README's cross-language search example moved: update this test"
    hits = retriever.search(claim[1], k=5)
    assert "global-calendar-en" in [h.doc_id for h in hits]
