"""A plan as a download: the response every export route (API, shared links) sends."""

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


def export_response(bot: Planbot, plan: Plan, fmt: str) -> Response:
    known = check_format(fmt)
    disposition = f"attachment; filename=\"plan.{fmt}\"; filename*=UTF-8''{quote(filename(plan, fmt))}"
    return Response(bot.render(plan, known), media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": disposition})
