"""Storage failures as they really happen, made in-process: a full disk under Chroma and under our own files.

Embedded Chroma raises InternalError("Failed to apply logs to the metadata segment") when its disk
fills (seen on a 3 MB tmpfs; the records it had logged come back once there is room), sqlite says
"database or disk is full", and our own files get OSError ENOSPC.
"""

from __future__ import annotations

import errno
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from chromadb.api.models.Collection import Collection

COMPACTION = "Error in compaction: Failed to apply logs to the metadata segment"


class Usage(NamedTuple):
    total: int
    used: int
    free: int


def failing_upserts(monkeypatch: pytest.MonkeyPatch, exc: Exception, after: int = 0, write: bool = False) -> None:
    """Collection.upsert succeeds `after` times, then raises `exc` (having written first, if `write`)."""
    real: Callable[..., Any] = Collection.upsert
    calls = {"n": 0}

    def upsert(self: Collection, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] > after:
            if write:
                real(self, *args, **kwargs)
            raise exc
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Collection, "upsert", upsert)


def disk_full(monkeypatch: pytest.MonkeyPatch, free: int = 0) -> None:
    """The data dir's disk has `free` bytes left (planbot.retrieval.write_errors asks shutil)."""
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: Usage(10**12, 10**12 - free, free))


def full_for(monkeypatch: pytest.MonkeyPatch, prefix: str) -> None:
    """Writing a file whose name starts with `prefix` fails as on a full disk."""
    real = Path.write_text

    def write_text(self: Path, *args: Any, **kwargs: Any) -> int:
        if self.name.startswith(prefix):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)


def refused(exc: Exception) -> Callable[..., Any]:
    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise exc

    return fail
