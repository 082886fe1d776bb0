"""`planbot keys create|list|revoke`: API keys for the REST API (shown once, stored hashed)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from planbot.cli.common import app, err, fail, load_settings, print_json, rows
from planbot.errors import PlanbotError

if TYPE_CHECKING:
    from planbot.store.repository import Store

keys_app = typer.Typer(no_args_is_help=True, help="API keys for the REST API (shown once, stored hashed).")
app.add_typer(keys_app, name="keys")


def _store(create: bool = True) -> Store:
    from planbot.store.repository import Store  # noqa: PLC0415

    settings = load_settings(create)
    try:
        return Store.for_data_dir(settings.data_dir, settings.database_url)
    except PlanbotError as exc:
        raise fail(exc.message) from exc


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Argument(help="who or what the key is for")],
    adopt_local: Annotated[
        bool,
        typer.Option("--adopt-local", help="move the conversations, plans and uploads made without a key to this key"),
    ] = False,
) -> None:
    """Create a key; it is printed once on stdout and only its hash is kept.

    From the first key on, every API request needs a key (the open local mode ends), and what was made
    without one stays with the local owner, invisible to keys, unless --adopt-local moves it to this key."""
    if not name.strip() or len(name) > 100:
        raise fail("a key name has 1 to 100 characters")
    try:
        key, info, adopted = _store().create_key_adopting(name.strip(), adopt_local=adopt_local)
    except PlanbotError as exc:
        raise fail(exc.message) from exc
    sys.stdout.write(key + "\n")
    err.print(f"created key {info.id} ({info.name}); store it now, it cannot be shown again", highlight=False)
    if adopt_local:
        err.print(f"adopted from the local owner: {adopted.sessions} conversations, {adopted.plans} plans, "
                  f"{adopted.documents} uploaded guides", highlight=False)  # fmt: skip
    else:
        err.print("what was made without a key stays with the local owner, invisible to keys "
                  "(`planbot keys create NAME --adopt-local` moves it to a new key)", highlight=False)  # fmt: skip
    err.print("API requests now need `Authorization: Bearer <key>`", highlight=False)


@keys_app.command("list")
def keys_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The keys (id, name, prefix, created, revoked); never the keys themselves."""
    keys = _store(create=False).keys()
    if as_json:
        print_json([{**k.__dict__, "created_at": k.created_at.isoformat()} for k in keys])
        return
    rows(f"{len(keys)} keys", ["id", "name", "prefix", "created", "revoked"],
          [[k.id, k.name, k.prefix + "…", k.created_at.isoformat(timespec="seconds"), "yes" if k.revoked else ""]
           for k in keys])  # fmt: skip


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="the key's id or name")]) -> None:
    """Revoke a key: requests with it get 401 from now on."""
    try:
        _store(create=False).revoke_key(key_id)
    except PlanbotError as exc:
        raise fail(exc.message) from exc
    err.print(f"revoked {key_id}", highlight=False)
