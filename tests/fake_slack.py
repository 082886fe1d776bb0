"""A fake Slack Web API on 127.0.0.1: what the user would see, recorded for the tests.

It answers chat.postMessage, the three steps of files_upload_v2 (files.getUploadURLExternal,
the upload itself, files.completeUploadExternal) and response_url posts, the way Slack does,
and keeps every call so a test can assert the messages, blocks and files a channel received.
Channels listed in `not_in` answer `not_in_channel`, like a channel the bot was never invited to.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit


@dataclass
class Call:
    method: (
        str  # "chat.postMessage", "files.getUploadURLExternal", "upload", "files.completeUploadExternal", "response"
    )
    args: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.monotonic)
    result: dict[str, Any] = field(default_factory=dict)  # what the fake answered (a posted message's ts)


class FakeSlack:
    def __init__(self, not_in: tuple[str, ...] = ()) -> None:
        self.calls: list[Call] = []
        self.uploads: dict[str, bytes] = {}  # file id -> bytes
        self.names: dict[str, str] = {}  # file id -> filename
        self.not_in = set(not_in)
        self.shared: dict[str, tuple[str, bytes]] = {}  # file id -> (name, bytes): files users shared, downloadable
        self.lock = threading.Lock()
        self._ids = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                pass

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                token = (self.headers.get("authorization") or "").removeprefix("Bearer ") or None
                if url.path.startswith("/upload/"):
                    fake.record(Call("upload", {"file_id": url.path.rsplit("/", 1)[1], "size": len(raw)}, token), raw)
                    self._send(200, b"OK - " + str(len(raw)).encode(), "text/plain")
                    return
                args: dict[str, Any] = dict(parse_qsl(url.query))
                kind = self.headers.get("content-type") or ""
                if "json" in kind:
                    args.update(json.loads(raw or b"{}"))
                else:
                    args.update(parse_qsl(raw.decode()))
                if url.path.startswith("/response/"):
                    fake.record(Call("response", args, token))
                    self._send(200, b"ok", "text/plain")
                    return
                method = url.path.removeprefix("/api/")
                payload = fake.answer(method, args, token, f"http://{self.headers.get('host')}")
                self._send(200, json.dumps(payload).encode(), "application/json")

            def do_GET(self) -> None:
                """A shared file's url_private_download: served to any token, which is recorded."""
                url = urlsplit(self.path)
                token = (self.headers.get("authorization") or "").removeprefix("Bearer ") or None
                file_id = url.path.removeprefix("/files-pri/").split("/", 1)[0]
                fake.record(Call("download", {"file_id": file_id, "path": url.path}, token))
                found = fake.shared.get(file_id) if url.path.startswith("/files-pri/") else None
                if found is None:
                    self._send(404, b"not found", "text/plain")
                    return
                self._send(200, found[1], "application/octet-stream")

            def _send(self, status: int, data: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.api_url = self.base + "/api/"
        self._serving = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeSlack:
        self._serving.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def record(self, call: Call, data: bytes | None = None) -> None:
        with self.lock:
            self.calls.append(call)
            if data is not None:
                self.uploads[call.args["file_id"]] = data

    def answer(self, method: str, args: dict[str, Any], token: str | None, base: str) -> dict[str, Any]:
        call = Call(method, args, token)
        self.record(call)
        if method == "chat.postMessage":
            if args.get("channel") in self.not_in:
                return {"ok": False, "error": "not_in_channel"}
            call.result["ts"] = ts = f"{int(time.time())}.{next(self._ids):06d}"
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": {"text": args.get("text")}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ids):08d}"
            with self.lock:
                self.names[file_id] = str(args.get("filename"))
            return {"ok": True, "file_id": file_id, "upload_url": f"{base}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            files = json.loads(args["files"]) if isinstance(args.get("files"), str) else args.get("files", [])
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title"), "name": self.names.get(f["id"])}
                                          for f in files]}  # fmt: skip
        if method == "files.info":
            file = self.file_object(str(args.get("file")))
            return {"ok": True, "file": file} if file else {"ok": False, "error": "file_not_found"}
        if method == "chat.update":
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts"), "text": args.get("text")}
        return {"ok": False, "error": "unknown_method"}

    # -- files users share (a history export in a thread) ---------------------------------------------
    def share(self, name: str, data: bytes) -> dict[str, object]:
        """A file a user shared: its object as Slack puts it in a file_share event's `files`."""
        file_id = f"FS{next(self._ids):08d}"
        with self.lock:
            self.shared[file_id] = (name, data)
        file = self.file_object(file_id)
        assert file is not None
        return file

    def file_object(self, file_id: str) -> dict[str, object] | None:
        with self.lock:
            found = self.shared.get(file_id)
        if found is None:
            return None
        name, data = found
        return {"id": file_id, "name": name, "title": name, "size": len(data), "filetype": name.rsplit(".", 1)[-1],
                "url_private": f"{self.base}/files-pri/{file_id}/{quote(name)}",
                "url_private_download": f"{self.base}/files-pri/{file_id}/download/{quote(name)}"}  # fmt: skip

    # -- what the user would see ---------------------------------------------------------------------
    def of(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def opened(self, needle: str, channel: str) -> str:
        """The ts of the top-level message with `needle` the bot posted in a channel (its thread's id)."""

        def found() -> str | None:
            for c in self.of("chat.postMessage"):
                if (
                    c.args.get("channel") == channel
                    and not c.args.get("thread_ts")
                    and needle in c.args.get("text", "")
                ):
                    return c.result.get("ts")
            return None

        self.wait(lambda: found() is not None)
        ts = found()
        assert ts is not None
        return ts

    def in_thread(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        """Messages posted in one thread, oldest first."""
        return [c.args for c in self.of("chat.postMessage")
                if c.args.get("channel") == channel and c.args.get("thread_ts") == thread_ts]  # fmt: skip

    def files_in(self, channel: str, thread_ts: str) -> dict[str, bytes]:
        """Filename -> bytes of the files completed into one thread."""
        out: dict[str, bytes] = {}
        for c in self.of("files.completeUploadExternal"):
            if c.args.get("channel_id") == channel and c.args.get("thread_ts") == thread_ts:
                for f in json.loads(c.args["files"]) if isinstance(c.args["files"], str) else c.args["files"]:
                    out[self.names[f["id"]]] = self.uploads[f["id"]]
        return out

    def wait(self, predicate: Any, timeout: float = 60.0) -> None:
        """Until predicate() is true: the app answers in background threads after acknowledging."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting; calls so far: {[(c.method, c.args.get('text')) for c in self.calls]}")
