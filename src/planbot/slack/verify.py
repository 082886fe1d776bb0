"""Slack's request signature, checked on the raw bytes before anything is parsed.

Slack signs `v0:{timestamp}:{body}` with the app's signing secret (HMAC-SHA256, hex, `v0=` prefix in
X-Slack-Signature; the timestamp in X-Slack-Request-Timestamp, whole seconds). A request is taken only
when the timestamp is plain digits within five minutes of now and the signature matches (compared
in constant time); only then is the body decoded and parsed, and a body that does not parse the way
Bolt will parse it is refused as bad input instead of failing inside Bolt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

MAX_AGE_S = 300
MAX_TIMESTAMP_DIGITS = 12  # seconds since 1970 have 10 digits until the year 2286


class BadRequest(Exception):
    """Not from Slack (status 401) or not a body Slack sends (status 400); the message is safe to show."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def check_signature(secret: bytes, headers: Mapping[str, str], body: bytes, now: float) -> None:
    """Raise BadRequest(401) unless `body` was signed with `secret` within the last five minutes."""
    timestamp = headers.get("x-slack-request-timestamp") or ""
    signature = headers.get("x-slack-signature") or ""
    if not timestamp or not signature:
        raise BadRequest(401, "the request is not signed by Slack")
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > MAX_TIMESTAMP_DIGITS:
        raise BadRequest(401, "the request's Slack timestamp is not valid")
    if abs(now - int(timestamp)) > MAX_AGE_S:
        raise BadRequest(401, "the request's Slack timestamp is too old (or in the future)")
    expected = "v0=" + hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    # header values are Latin-1 as received; compare bytes so any value is comparable
    if not hmac.compare_digest(expected.encode(), signature.encode("latin-1", "replace")):
        raise BadRequest(401, "the request's Slack signature does not match")


def parse_body(body: bytes, content_type: str | None) -> tuple[str, dict[str, Any]]:
    """The body as text and as Bolt reads it (JSON, a form, or a form's `payload` JSON); BadRequest(400)
    when it is not UTF-8 or does not parse to an object."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(400, "the request body is not UTF-8") from exc
    if not text:
        return text, {}
    try:
        # exactly the rules of slack_bolt.request.internals.parse_body (and its extract_content_type)
        if (content_type or "").split(";")[0] == "application/json" or text.startswith("{"):
            parsed: Any = json.loads(text)
        elif "payload" in text:
            payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
            parsed = {} if payload is None else json.loads(payload)
        else:
            parsed = dict(parse_qsl(text, keep_blank_values=True))
    except ValueError as exc:  # json.JSONDecodeError and parse_qsl's errors are ValueErrors
        raise BadRequest(400, "the request body is not valid JSON or form data") from exc
    if not isinstance(parsed, dict):
        raise BadRequest(400, "the request body is not a JSON object")
    return text, parsed
