"""History routes (issue 23): a brand's sales/ad export attached to a conversation, and the template.

Owner-scoped like every session route: another owner's session answers 404. A file that cannot be
read answers 422 `unreadable_file` with the reader's message (in the conversation's language) naming
the row and column, details {code, row, column, file}; a file over the reader's limit answers 413.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import FastAPI, File, Query, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from planbot.api import schemas as S
from planbot.api.deps import Bot, Owner
from planbot.api.history_schemas import HistoryOut, HistoryReadingOut, HistorySummaryOut, HistoryUploadOut
from planbot.histories import HistoryTurn, file_name
from planbot.history_read import MAX_HISTORY_BYTES, history_template
from planbot.service import Planbot

TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
REFUSED: dict[int | str, dict[str, Any]] = {
    422: {
        "model": S.ErrorResponse,
        "description": "the file cannot be read: the message names the row and "
        "column; details {code, row, column, file}",
    },
    413: {"model": S.ErrorResponse, "description": "the file is over the history limit (10 MB)"},
}


def turn_out(done: HistoryTurn) -> S.TurnOut:
    plan = S.PlanRefOut(id=done.plan[0], version=done.plan[1]) if done.plan else None
    return S.TurnOut(id=done.session_id, reply=done.reply, brief=done.brief, missing=done.missing, plan=plan,
                     changes=done.changes)  # fmt: skip


def _language(b: Planbot, who: str, session_id: str) -> str:
    state = b.conversation(who, session_id)
    return state.language or state.brief.language


def install_history(app: FastAPI) -> None:
    @app.post(
        "/v1/sessions/{session_id}/history",
        response_model=HistoryUploadOut,
        status_code=201,
        tags=["history"],
        responses={200: {"model": HistoryUploadOut, "description": "a preview: nothing stored"}, **REFUSED},
    )
    async def upload_history(
        session_id: str,
        b: Bot,
        who: Owner,
        response: Response,
        file: Annotated[UploadFile, File(description="a CSV or XLSX export (or planbot's template)")],
        preview: Annotated[bool, Query(description="read and answer what was recognised, store nothing")] = False,
    ) -> HistoryUploadOut:
        """Attach a brand's sales/ad history to a conversation (201): its brief gets `history`, the chat a
        reply saying what was recognised, and a plan the conversation already has its next version drafted
        with it. With `?preview=true` (200) the file is only read: the months, columns and skipped rows a
        user confirms before attaching. Nothing in the conversation changes when the file is refused."""
        data = await file.read(MAX_HISTORY_BYTES + 1)
        name = file_name(file.filename)
        if preview:
            reading = await run_in_threadpool(b.preview_history, who, session_id, name, data)
            language = await run_in_threadpool(_language, b, who, session_id)
            response.status_code = 200
            return HistoryUploadOut(attached=False, reading=HistoryReadingOut.of(reading, language, "recognised"))
        done = await run_in_threadpool(b.attach_history, who, session_id, name, data)
        assert done.reading is not None
        return HistoryUploadOut(attached=True, reading=HistoryReadingOut.of(done.reading, done.brief.language),
                                turn=turn_out(done))  # fmt: skip

    @app.get("/v1/sessions/{session_id}/history", response_model=HistoryOut, tags=["history"])
    def get_history(session_id: str, b: Bot, who: Owner) -> HistoryOut:
        """The history attached to a conversation (404 when none is, or the session is not the caller's)."""
        history = b.session_history(who, session_id)
        return HistoryOut(summary=HistorySummaryOut.of(history, _language(b, who, session_id)), history=history)

    @app.delete("/v1/sessions/{session_id}/history", status_code=204, tags=["history"])
    def delete_history(session_id: str, b: Bot, who: Owner) -> Response:
        """Remove the conversation's history (a plan gets its next version without it; 404 when none is
        attached). The chat says it was removed."""
        b.delete_history(who, session_id)
        return Response(status_code=204)

    @app.get(
        "/v1/templates/history",
        tags=["history"],
        response_class=Response,
        responses={
            200: {
                "content": {TEMPLATE_TYPES["csv"]: {}, TEMPLATE_TYPES["xlsx"]: {}},
                "description": "the template file",
            }
        },
    )
    def history_template_file(
        _who: Owner,
        lang: Annotated[Literal["zh", "en"], Query(description="the headers' language")] = "zh",
        format: Annotated[Literal["csv", "xlsx"], Query(description="csv or xlsx")] = "csv",
    ) -> Response:
        """planbot's simple history template (month, GMV, visitors, orders, buyers, new buyers, ad spend and
        sales per channel), with headers in Chinese or English and two example rows."""
        data = history_template(lang, format)
        name = f"planbot-history-template-{lang}.{format}"
        disposition = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
        return Response(data, media_type=TEMPLATE_TYPES[format], headers={"Content-Disposition": disposition})
