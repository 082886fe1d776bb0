"""Knowledge routes: upload, list, remove and search guides (owner rules in planbot.uploads)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import FastAPI, File, Header, Query, Response, UploadFile
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from planbot import errors
from planbot.api import schemas as S
from planbot.api.deps import Bot, Owner
from planbot.api.sse import Relay
from planbot.config import Settings


def install_knowledge(app: FastAPI, settings: Settings) -> None:
    async def answer(b: Bot, who: str, name: str, result: Any) -> S.DocumentOut:
        if result.status == "skipped":
            raise errors.BadInput(f"{name} was not added: {result.reason}", {"id": result.doc_id})
        # answered from the index's record, like the list: the same lang, tags and ownership
        documents, mine, shipped = await run_in_threadpool(
            lambda: (b.documents(), b.uploads_by(who), b.guides.shipped())
        )
        doc = next((d for d in documents if d.doc_id == result.doc_id), None)
        if doc is None:
            raise errors.Conflict(f"{name} was removed by another request while it was being added; upload it again")
        return S.DocumentOut.of(doc, mine, shipped, status=result.status, reason=result.reason)

    async def indexing(b: Bot, who: str, data: bytes, name: str) -> AsyncIterator[dict[str, str]]:
        """Server-sent events: `progress` {done, total} as the passages are embedded, then `done` with the
        document (or one `error`): a 100-page PDF is minutes of work, and the browser shows how far it is."""
        relay = Relay()

        def progress(done: int, total: int) -> None:
            relay.put({"done": done, "total": total})

        task = asyncio.ensure_future(run_in_threadpool(b.ingest_upload, data, name, who, progress))
        async for event in relay.until(task):
            yield {"event": "progress", "data": json.dumps(event)}
        try:
            out = await answer(b, who, name, task.result())
        except errors.PlanbotError as exc:
            body = {"code": exc.code, "message": exc.message, "details": exc.details}
            yield {"event": "error", "data": json.dumps({"error": body}, ensure_ascii=False)}
            return
        yield {"event": "done", "data": out.model_dump_json()}

    @app.post(
        "/v1/knowledge/documents",
        status_code=201,
        response_model=S.DocumentOut,
        tags=["knowledge"],
        responses={200: {"content": {"text/event-stream": {}}}},
    )
    async def upload(
        b: Bot, who: Owner, file: Annotated[UploadFile, File()], accept: Annotated[str | None, Header()] = None
    ) -> Any:
        """Add a guide; with `Accept: text/event-stream`, the indexing's progress is streamed (200, events
        `progress` {done, total}, then `done` with the document or `error`)."""
        limit = int(settings.max_upload_mb * 1024 * 1024)
        data = await file.read(limit + 1)
        name = (file.filename or "upload.txt").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload.txt"
        if accept and "text/event-stream" in accept:
            await run_in_threadpool(b.guides.check_may_upload, who)  # 403 before the stream starts
            return EventSourceResponse(indexing(b, who, data, name))
        return await answer(b, who, name, await run_in_threadpool(b.ingest_upload, data, name, who))

    @app.get("/v1/knowledge/documents", response_model=list[S.DocumentOut], tags=["knowledge"])
    def documents(b: Bot, who: Owner) -> list[S.DocumentOut]:
        mine, shipped = b.uploads_by(who), b.guides.shipped()
        return [S.DocumentOut.of(d, mine, shipped) for d in b.documents()]

    @app.delete("/v1/knowledge/documents/{doc_id}", status_code=204, tags=["knowledge"])
    def delete_document(doc_id: str, b: Bot, who: Owner) -> Response:
        b.remove_document(doc_id, owner=who)
        return Response(status_code=204)

    @app.get("/v1/knowledge/search", response_model=S.SearchOut, tags=["knowledge"])
    def search(
        b: Bot,
        _who: Owner,
        q: Annotated[str, Query(min_length=1, max_length=500)],
        k: Annotated[int, Query(ge=1, le=50)] = 5,
        lang: Annotated[str | None, Query(pattern="^(zh|en)$")] = None,
        source: Annotated[Literal["uploaded", "shipped"] | None, Query()] = None,
    ) -> S.SearchOut:
        hits = b.search(q, k=k, lang=lang, source=source)
        return S.SearchOut(hits=[S.Hit(chunk_id=h.chunk_id, doc_id=h.doc_id, title=h.title, score=h.score,
                                       text=h.text, source=h.source) for h in hits])  # fmt: skip
