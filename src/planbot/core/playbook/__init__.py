"""Localized planning content (channel roles, phase actions, risks, prose templates) kept as data."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

_DIR = Path(__file__).resolve().parent


@cache
def playbook(language: str) -> dict[str, Any]:
    lang = language if language in ("zh", "en") else "en"
    with (_DIR / f"{lang}.yaml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data
