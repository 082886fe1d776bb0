"""The assistant's sentences in each language, kept as data in playbook/dialogue.yaml."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

_DIALOGUE = Path(__file__).resolve().parent / "playbook" / "dialogue.yaml"


@cache
def dialogue(language: str) -> dict[str, Any]:
    data: dict[str, dict[str, Any]] = yaml.safe_load(_DIALOGUE.read_text(encoding="utf-8"))
    return data["zh" if language == "zh" else "en"]
