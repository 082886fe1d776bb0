"""planbot.core stays pure: no web framework, database, vector store or LLM client."""

import ast
from pathlib import Path

BANNED = ("fastapi", "starlette", "slack_sdk", "slack_bolt", "sqlalchemy", "chromadb", "langchain", "openai", "httpx",
          "uvicorn", "planbot.api", "planbot.store", "planbot.llm", "planbot.retrieval", "planbot.render",
          "planbot.service", "planbot.history_read", "openpyxl")  # fmt: skip
CORE = Path(__file__).resolve().parent.parent / "src" / "planbot" / "core"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_imports_nothing_banned() -> None:
    offenders = {
        f"{path.name}: {name}"
        for path in CORE.rglob("*.py")
        for name in imported_modules(path)
        if any(name == b or name.startswith(b + ".") for b in BANNED)
    }
    assert offenders == set()


def test_the_scan_sees_imports() -> None:
    assert "planbot.core.numbers" in imported_modules(CORE / "builder.py")
