"""The `planbot` command line; each module registers its commands on the one Typer app."""

from __future__ import annotations

from importlib import import_module

from planbot.cli.common import app

# registration order is the order `planbot --help` lists the commands in
for _group in ("plans", "knowledge", "serving", "keys", "templates"):
    import_module(f"planbot.cli.{_group}")

__all__ = ["app", "main"]


def main() -> None:
    app()
