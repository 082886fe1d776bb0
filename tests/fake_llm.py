"""An OpenAI-compatible chat-completions server on 127.0.0.1, scripted by the tests.

It answers plain, streaming, tool-calling (function_calling structured output) and json_schema
requests, and can be told to be slow, never answer (`silent`), fail (500, 429 with Retry-After),
return malformed JSON, fill every schema with a valid but meaningless instance (`meaningless`),
state numbers the builder never computed, or carry an injected instruction. Real HTTP: the code under
test talks to it through the OpenAI client exactly as it would to a real endpoint.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DRAFT = re.compile(r"which states the same facts:\n(.*?)\n\n", re.S)
GUIDE_ID = re.compile(r"<<<GUIDE id=(\S+)")


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (timeout test) closes the socket mid-answer: expected here


@dataclass
class Reply:
    """What the server does with one request."""

    text: str | None = None  # the prose (or plain content); None: echo the draft the prompt carries
    citations: list[str] | None = None  # None: cite the first guide the prompt gave
    status: int = 200
    latency_s: float = 0.0
    malformed: bool = False  # arguments / content that are not JSON
    arguments: dict[str, Any] | None = None  # structured answer to send as is (tool arguments / JSON content)
    headers: dict[str, str] = field(default_factory=dict)
    silent: bool = False  # accept the request and never answer (until the server stops)


def prompt_of(body: dict[str, Any]) -> str:
    return "\n".join(str(m.get("content") or "") for m in body.get("messages", []) if m.get("role") == "user")


def good(body: dict[str, Any]) -> Reply:
    """A schema-valid answer that keeps the draft's numbers: what a well-behaved model returns."""
    return Reply()


PLACEHOLDER = "示例内容 sample text"


def instance(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """A valid instance of a JSON schema with every field filled by a placeholder: what a model that
    follows the schema and ignores the message returns (the same date, "示例内容", 1 or 0.5)."""
    if "$ref" in schema:
        return instance(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return instance(options[0], defs) if options else None
    kind = schema.get("type")
    if kind == "object":
        return {k: instance(v, defs) for k, v in (schema.get("properties") or {}).items()}
    if kind == "array":
        return [instance(schema.get("items") or {"type": "string"}, defs)]
    if kind == "integer":
        return 1
    if kind == "number":
        return 0.5 if schema.get("exclusiveMaximum") == 1 or schema.get("maximum") == 1 else 1.0
    if kind == "boolean":
        return True
    return "2027-06-01" if schema.get("format") == "date" else PLACEHOLDER


def meaningless(body: dict[str, Any]) -> Reply:
    """Every structured request answered with a schema-valid placeholder instance; prose with placeholder text."""
    tools = body.get("tools") or []
    if tools:
        schema = tools[0]["function"]["parameters"]
    elif (fmt := body.get("response_format") or {}).get("type") == "json_schema":
        schema = fmt["json_schema"]["schema"]
    else:
        return Reply(text=PLACEHOLDER)
    return Reply(arguments=instance(schema, schema.get("$defs") or {}))


def silent(body: dict[str, Any]) -> Reply:
    return Reply(silent=True)


class FakeLLM:
    def __init__(self, script: Callable[[dict[str, Any]], Reply] = good) -> None:
        self.script = script
        self.requests: list[dict[str, Any]] = []
        self.times: list[float] = []  # time.monotonic() of each request's arrival
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with server.lock:
                    server.requests.append(body)
                    server.times.append(time.monotonic())
                reply = server.script(body)
                if reply.silent:
                    server.stopping.wait()
                    return
                if reply.latency_s:
                    time.sleep(reply.latency_s)
                if reply.status != 200:
                    self._send(reply.status, {"error": {"message": "scripted failure", "type": "server_error"}},
                               reply.headers)  # fmt: skip
                    return
                server.respond(self, body, reply)

            def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeLLM:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests_after(self, moment: float) -> int:
        with self.lock:
            return sum(1 for t in self.times if t > moment)

    # -- answers ------------------------------------------------------------------------------------
    @staticmethod
    def _content(body: dict[str, Any], reply: Reply) -> tuple[str, str]:
        """(prose, arguments JSON) for this request."""
        prompt = prompt_of(body)
        m = DRAFT.search(prompt)
        text = reply.text if reply.text is not None else (m.group(1).strip() if m else "OK")
        ids = GUIDE_ID.findall(prompt)
        citations = reply.citations if reply.citations is not None else ids[:1]
        answer = reply.arguments if reply.arguments is not None else {"text": text, "citations": citations}
        args = "{not json" if reply.malformed else json.dumps(answer, ensure_ascii=False)
        return text, args

    def respond(self, handler: BaseHTTPRequestHandler, body: dict[str, Any], reply: Reply) -> None:
        text, args = self._content(body, reply)
        usage = {"prompt_tokens": len(prompt_of(body)) // 2, "completion_tokens": len(args) // 2}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        message: dict[str, Any] = {"role": "assistant", "content": text}
        finish = "stop"
        tools = body.get("tools") or []
        if tools:
            name = tools[0]["function"]["name"]
            message = {"role": "assistant", "content": None, "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": name, "arguments": args}}]}  # fmt: skip
            finish = "tool_calls"
        elif (body.get("response_format") or {}).get("type") == "json_schema":
            message = {"role": "assistant", "content": args}
        base = {"id": "chatcmpl-fake", "created": int(time.time()), "model": body.get("model", "fake")}
        if body.get("stream"):
            handler.send_response(200)
            handler.send_header("content-type", "text/event-stream")
            handler.end_headers()
            for piece in re.findall(r".{1,8}", message.get("content") or "", re.S):
                chunk = {**base, "object": "chat.completion.chunk",
                         "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}  # fmt: skip
                handler.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                handler.wfile.flush()
            end = {**base, "object": "chat.completion.chunk",
                   "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "usage": usage}  # fmt: skip
            handler.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
            return
        payload = {**base, "object": "chat.completion", "usage": usage,
                   "choices": [{"index": 0, "message": message, "finish_reason": finish}]}  # fmt: skip
        data = json.dumps(payload, ensure_ascii=False).encode()
        handler.send_response(200)
        handler.send_header("content-type", "application/json")
        handler.send_header("content-length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
