"""The signing key: written whole or not at all, and a missing, empty or short key stops the start.

A 0-byte `secret_key` left by a full disk used to make every later start sign cookies, CSRF tokens
and share links with "", which anyone can forge.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from itsdangerous import URLSafeTimedSerializer

from planbot.errors import Misconfigured
from planbot.web import cookies
from planbot.web.cookies import COOKIE, MIN_SECRET_CHARS, load_secret
from tests.servers import Server


def test_a_key_is_made_once_private_and_reused(tmp_path: Path) -> None:
    first = load_secret(tmp_path, None)
    assert len(first) >= MIN_SECRET_CHARS
    assert load_secret(tmp_path, None) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temp file left behind


def test_a_failed_write_leaves_no_key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cookies.os, "fsync", full_disk)
    with pytest.raises(Misconfigured, match="No space left on device"):
        load_secret(tmp_path, None)
    assert list(tmp_path.iterdir()) == []  # neither the key nor its temp file: the next start tries again
    monkeypatch.undo()
    assert len(load_secret(tmp_path, None)) >= MIN_SECRET_CHARS


@pytest.mark.parametrize("content", ["", "\n", "short-key"])
def test_an_empty_or_short_key_file_is_refused(tmp_path: Path, content: str) -> None:
    (tmp_path / "secret_key").write_text(content)
    with pytest.raises(Misconfigured) as caught:
        load_secret(tmp_path, None)
    assert str(tmp_path / "secret_key") in caught.value.message
    assert "delete" in caught.value.message and "PLANBOT_SECRET_KEY" in caught.value.message


@pytest.mark.parametrize("configured", ["", "   ", "x" * (MIN_SECRET_CHARS - 1)])
def test_an_empty_or_short_configured_key_is_refused(tmp_path: Path, configured: str) -> None:
    with pytest.raises(Misconfigured, match="PLANBOT_SECRET_KEY"):
        load_secret(tmp_path, configured)
    assert load_secret(tmp_path, "k" * MIN_SECRET_CHARS) == "k" * MIN_SECRET_CHARS


def test_serve_refuses_an_empty_key_file_and_says_how_to_fix_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "secret_key").write_bytes(b"")  # what a first start on a full disk used to leave
    env = {**os.environ, "PLANBOT_DATA_DIR": str(data), "PLANBOT_WARM_UP": "false"}
    run = subprocess.run([sys.executable, "-m", "planbot", "serve", "--port", "1"], env=env, capture_output=True, check=False,
                         text=True, timeout=120)  # fmt: skip
    assert run.returncode != 0
    assert "is empty" in run.stderr and f"delete {data / 'secret_key'}" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


def test_serve_refuses_a_short_configured_key(tmp_path: Path) -> None:
    env = {**os.environ, "PLANBOT_DATA_DIR": str(tmp_path), "PLANBOT_SECRET_KEY": "secret"}
    run = subprocess.run([sys.executable, "-m", "planbot", "serve", "--port", "1"], env=env, capture_output=True, check=False,
                         text=True, timeout=120)  # fmt: skip
    assert run.returncode != 0 and "only 6 characters long" in run.stderr, run.stderr


def test_a_cookie_signed_with_an_empty_key_is_not_accepted(new_server: Callable[..., Server]) -> None:
    server = new_server()
    server.cli("keys", "create", "ops")  # with a key, only a valid cookie or key gets in from loopback
    forged = URLSafeTimedSerializer("", salt="planbot-owner").dumps("attacker-browser")
    with httpx.Client(base_url=server.url, cookies={COOKIE: forged}, timeout=30) as client:
        r = client.get("/v1/sessions")
        assert r.status_code == 401, r.text
        page = client.get("/")
        assert page.status_code == 200
        assert page.cookies.get(COOKIE) not in (None, forged)  # the forged one is replaced by a real one
