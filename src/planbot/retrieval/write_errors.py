"""A write to the knowledge index that fails for want of disk (or a failing disk) is `Unavailable`.

Like database writes, it answers 503 with Retry-After and words a person can act on, never a
vector store's raw error. Embedded Chroma does not always say why: on a full disk it reports
"Failed to apply logs to the metadata segment", so a failed write also checks the free space
of the data dir.
"""

from __future__ import annotations

import contextlib
import errno
import shutil
from collections.abc import Iterator
from pathlib import Path

from planbot.errors import PlanbotError, Unavailable

LOW_SPACE_BYTES = 64 * 1024 * 1024  # a write that fails with less free than this is blamed on the full disk
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
_FULL_WORDS = ("disk is full", "no space left", "quota exceeded", "disk quota")
FULL = "the disk is full; free space and upload again"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < 16:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def low_on_space(data_dir: Path | None) -> bool:
    if data_dir is None:
        return False
    try:
        return shutil.disk_usage(data_dir).free < LOW_SPACE_BYTES
    except OSError:
        return False


def disk_full(exc: BaseException, data_dir: Path | None = None) -> bool:
    """Did `exc` happen because the disk (of `data_dir`, when given) is full?"""
    for e in _chain(exc):
        if isinstance(e, OSError) and e.errno in _FULL_ERRNOS:
            return True
        if any(word in str(e).lower() for word in _FULL_WORDS):
            return True
    return low_on_space(data_dir)


def unwritable(exc: BaseException, data_dir: Path | None = None) -> Unavailable | None:
    """The Unavailable to raise for a failed write, or None when the storage is not to blame."""
    if disk_full(exc, data_dir):
        return Unavailable(f"the knowledge index could not be written: {FULL}", {"reason": "disk_full"})
    for e in _chain(exc):
        if isinstance(e, OSError):
            reason = e.strerror or str(e)
            return Unavailable(
                f"the knowledge index could not be written: {reason}; check the data dir and upload again",
                {"reason": errno.errorcode.get(e.errno or 0, "io_error")},
            )
    return None


@contextlib.contextmanager
def writing(data_dir: Path | None = None) -> Iterator[None]:
    """Our own files (manifest, BM25, records of staged vectors): any OSError is Unavailable."""
    try:
        yield
    except PlanbotError:
        raise
    except OSError as exc:
        raise (unwritable(exc, data_dir) or Unavailable(str(exc))) from exc
