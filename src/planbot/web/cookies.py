"""Browser owners: a signed cookie names the owner; writes also need a CSRF token tied to it.

The cookie holds a random id signed with the server's secret (itsdangerous), so it cannot be
forged or pointed at another owner. The CSRF token is a second signature of the same id under
another salt: pages carry it in a meta tag and scripts send it as `X-CSRF-Token`; a page on
another site can neither read it nor send a custom header without a CORS preflight we never grant.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from itsdangerous import BadSignature, Signer, URLSafeTimedSerializer

from planbot.errors import Misconfigured
from planbot.store.share_links import LinkRows

COOKIE = "planbot_owner"
LANG_COOKIE = "planbot_lang"
CSRF_HEADER = "x-csrf-token"
MAX_AGE_S = 400 * 24 * 3600  # browsers cap cookie lifetimes at 400 days


MIN_SECRET_CHARS = 32  # a generated key has 64; anything shorter is guessable or a failed write


def load_secret(data_dir: Path, configured: str | None) -> str:
    """The configured key, else one generated once per data dir (0600); workers sharing it agree.

    The file is written whole or not at all (temp file, fsync, link into place), and a key that is
    missing, empty or short is refused with the fix named: cookies, CSRF tokens and share links
    signed with "" could be forged by anyone.
    """
    if configured is not None:
        return _checked(
            configured.strip(), "PLANBOT_SECRET_KEY", "set PLANBOT_SECRET_KEY to 32 or more random characters"
        )
    path = data_dir / "secret_key"
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            _create_secret(path)
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise Misconfigured(
            f"the signing key {path} could not be written or read ({reason}); free disk space or fix the "
            "folder's permissions and start again, or set PLANBOT_SECRET_KEY to 32 or more random characters"
        ) from exc
    return _checked(
        text,
        str(path),
        f"delete {path} and start again (a new key signs every browser out and ends shared links), "
        "or set PLANBOT_SECRET_KEY to 32 or more random characters",
    )


def _checked(secret: str, where: str, fix: str) -> str:
    if len(secret) < MIN_SECRET_CHARS:
        state = "empty" if not secret else f"only {len(secret)} characters long"
        raise Misconfigured(f"the signing key in {where} is {state}, so cookies and links could be forged; {fix}")
    return secret


def _create_secret(path: Path) -> None:
    """Write a new key beside `path`, flush it to disk, then link it into place: a crash or a full
    disk leaves either no key file or a whole one; when two workers race, the first link wins."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_urlsafe(48))
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):  # another worker's key is in place: use that one
            os.link(tmp, path)
        _fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class WebAuth:
    def __init__(self, secret: str) -> None:
        self._owner = URLSafeTimedSerializer(secret, salt="planbot-owner")
        self._csrf = Signer(secret, salt="planbot-csrf")

    def new_cookie(self) -> tuple[str, str]:
        """(cookie value, browser id) for a browser seen for the first time."""
        browser = secrets.token_urlsafe(18)
        return self._owner.dumps(browser), browser

    def browser(self, cookie: str | None) -> str | None:
        """The browser id in a cookie, or None when it is missing, forged or expired."""
        if not cookie:
            return None
        try:
            value = self._owner.loads(cookie, max_age=MAX_AGE_S)
        except BadSignature:
            return None
        return value if isinstance(value, str) else None

    def csrf_token(self, browser: str) -> str:
        return self._csrf.sign(browser).decode()

    def csrf_ok(self, browser: str, token: str | None) -> bool:
        if not token:
            return False
        try:
            return secrets.compare_digest(self._csrf.unsign(token).decode(), browser)
        except BadSignature:
            return False


class ShareLinks:
    """Read-only links to a plan: a signed token (salt "planbot-share", valid 90 days) carrying the id
    of a share-link row. It opens the plan while the row is not revoked and the plan exists; the
    plan's owner lists and revokes links through /v1/plans/{id}/links. Tokens of the old form (an
    owner and a plan id, from before links were revocable) open nothing.

    `rows` gives the store when a link is made or opened (the app builds this before its service).
    """

    MAX_AGE_S = 90 * 24 * 3600

    def __init__(self, secret: str, rows: Callable[[], LinkRows]) -> None:
        self._signer = URLSafeTimedSerializer(secret, salt="planbot-share")
        self._rows = rows

    def token(self, owner: str, plan_id: str) -> str:
        """A new link to the owner's plan (Slack's `link` and summaries); another owner's plan: NotFound."""
        return self.sign(self._rows().create_share_link(owner, plan_id).id)

    def sign(self, link_id: str) -> str:
        return self._signer.dumps({"link": link_id})

    def resolve(self, token: str) -> tuple[str, str] | None:
        """(owner, plan id) a live link opens; None when forged, expired, revoked, old-style or its plan is gone."""
        try:
            value = self._signer.loads(token, max_age=self.MAX_AGE_S)
        except BadSignature:
            return None
        link = value.get("link") if isinstance(value, dict) else None
        return self._rows().share_link_target(link) if isinstance(link, str) else None
