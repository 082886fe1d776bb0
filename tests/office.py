"""LibreOffice (Debian's headless ``libreoffice-*-nogui``) for the document tests: a real office suite
opens the DOCX and XLSX the renderers write.

Each call gets its own user profile, so tests may convert in parallel and never share a lock file.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

TIMEOUT_S = 180


def soffice() -> str:
    """The binary; CI installs it (.ci/run), so a missing one fails the test rather than skipping it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail("LibreOffice is not installed: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui")
    return found


def convert(source: Path, target_format: str, outdir: Path) -> Path:
    """Open `source` in LibreOffice and save it as `target_format` ("pdf", "txt", "xlsx", "csv", ...).

    Converting an XLSX to XLSX makes LibreOffice load it (recalculating every formula that has no cached
    value) and write the computed values back, which openpyxl then reads with ``data_only=True``.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        result = subprocess.run(
            [
                soffice(),
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target_format,
                "--outdir",
                str(outdir),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    stem = source.stem
    ext = target_format.split(":", 1)[0]
    out = outdir / f"{stem}.{ext}"
    if result.returncode != 0 or not out.exists():
        raise AssertionError(
            f"LibreOffice could not convert {source.name} to {target_format}: {result.stderr or result.stdout}"
        )
    return out
