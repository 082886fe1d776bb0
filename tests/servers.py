"""Real servers for integration tests: PostgreSQL from Debian's packages, and planbot under uvicorn."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    return Path(versions[-1]) if versions else None


@contextmanager
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on 127.0.0.1; yields a SQLAlchemy URL to a fresh database."""
    bindir = _pg_bin()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; .ci/run installs it (apt-get install postgresql)")
        pytest.skip("PostgreSQL is not installed here")
    base = Path(tempfile.mkdtemp(prefix="planbot-pg-"))
    data = base / "data"
    port = free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        shutil.chown(base, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, timeout=120)

    run(str(bindir / "initdb"), "-D", str(data), "-U", "planbot", "--auth=trust", "-E", "UTF8", "--no-sync")
    run(
        str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-t", "60", "start",
        "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off",
    )  # fmt: skip
    try:
        run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "planbot", "planbot")
        yield f"postgresql+psycopg://planbot@127.0.0.1:{port}/planbot"
    finally:
        stop = [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
        subprocess.run(stop, capture_output=True, timeout=60, check=False)  # best effort on teardown
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def chroma_server(path: Path) -> Iterator[str]:
    """A real `chroma run` server on 127.0.0.1 storing in `path`; yields its URL."""
    chroma = Path(sys.executable).parent / "chroma"
    port = free_port()
    proc = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the chroma server did not start")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def knowledge_template(tmp: Path) -> Path:
    """A data dir with knowledge/ indexed, made by the real CLI once and copied for each server."""
    data = tmp / "template"
    env = {**os.environ, "PLANBOT_DATA_DIR": str(data)}
    subprocess.run([sys.executable, "-m", "planbot", "ingest", str(ROOT / "knowledge")], env=env, check=True,
                   capture_output=True, timeout=600)  # fmt: skip
    return data


class Server:
    """`planbot serve` in its own process, on a free port."""

    def __init__(self, data_dir: Path, database_url: str | None = None, workers: int = 1, **env: str) -> None:
        self.data_dir = data_dir
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PLANBOT_DATA_DIR": str(data_dir), "PLANBOT_WARM_UP": "false", **env}
        if database_url:
            self.env["PLANBOT_DATABASE_URL"] = database_url
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, ready: bool = True) -> Server:
        """Start and wait for /readyz (ready=False: only /healthz, for servers meant to be unready)."""
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "planbot", "serve", "--port", str(self.port), "--workers", str(self.workers)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=open(self.data_dir / "server.log", "ab"),  # noqa: SIM115
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("planbot serve exited:\n" + (self.data_dir / "server.log").read_text()[-3000:])
            try:
                if httpx.get(self.url + ("/readyz" if ready else "/healthz"), timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("planbot serve did not become ready")

    def cli(self, *args: str) -> str:
        """`planbot ARGS` against this server's data dir and database (e.g. `keys create NAME`)."""
        out = subprocess.run([sys.executable, "-m", "planbot", *args], env=self.env, check=True,
                             capture_output=True, text=True, timeout=300)  # fmt: skip
        return out.stdout.strip()

    def log(self) -> str:
        return (self.data_dir / "server.log").read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """kill -9: no shutdown hooks, no flushing."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
