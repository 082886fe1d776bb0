"""A plan as a download: the response every export route (API, shared links) sends.

The bytes come from the store once the version's render job has run (planbot.documents); before
that (or if the job failed) the document is rendered now and stored for the next download.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Response

from planbot import errors
from planbot.core.plan import Plan
from planbot.render import FORMATS, MEDIA_TYPES, Format, filename
from planbot.service import Planbot


def check_format(fmt: str) -> Format:
    for known in FORMATS:
        if fmt == known:
            return known
    raise errors.BadInput(
        f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}", {"formats": list(FORMATS)}
    )


def download(data: bytes, fmt: Format, name: str) -> Response:
    disposition = f"attachment; filename=\"plan.{fmt}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": disposition})


def export_response(bot: Planbot, plan: Plan, fmt: str) -> Response:
    """A stored plan version (loaded by its owner or through a share link) as a download."""
    known = check_format(fmt)
    return download(bot.document(plan, known), known, filename(plan, known))


def owned_export_response(bot: Planbot, owner: str, plan_id: str, fmt: str, version: int | None) -> Response:
    """The owner's plan version as a download, without loading the plan once it is rendered."""
    known = check_format(fmt)
    data, name = bot.plan_document(owner, plan_id, known, version)
    return download(data, known, name)
