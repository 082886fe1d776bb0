"""Browser owners: a signed cookie names the owner; writes also need a CSRF token tied to it.

The cookie holds a random id signed with the server's secret (itsdangerous), so it cannot be
forged or pointed at another owner. The CSRF token is a second signature of the same id under
another salt: pages carry it in a meta tag and scripts send it as `X-CSRF-Token`; a page on
another site can neither read it nor send a custom header without a CORS preflight we never grant.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from itsdangerous import BadSignature, Signer, URLSafeTimedSerializer

COOKIE = "planbot_owner"
LANG_COOKIE = "planbot_lang"
CSRF_HEADER = "x-csrf-token"
MAX_AGE_S = 400 * 24 * 3600  # browsers cap cookie lifetimes at 400 days


def load_secret(data_dir: Path, configured: str | None) -> str:
    """The configured key, else one generated once per data dir (0600); workers sharing it agree."""
    if configured:
        return configured
    path = data_dir / "secret_key"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="ascii").strip()


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
    """Read-only links to a plan (Slack's `link`): the owner and plan id, signed, valid for 90 days."""

    MAX_AGE_S = 90 * 24 * 3600

    def __init__(self, secret: str) -> None:
        self._signer = URLSafeTimedSerializer(secret, salt="planbot-share")

    def token(self, owner: str, plan_id: str) -> str:
        return self._signer.dumps([owner, plan_id])

    def resolve(self, token: str) -> tuple[str, str] | None:
        try:
            value = self._signer.loads(token, max_age=self.MAX_AGE_S)
        except BadSignature:
            return None
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
            return value[0], value[1]
        return None
