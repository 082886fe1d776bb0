"""One deadline per request: every model call a request makes shares it, whatever the surface.

A chat turn may read the message, draft or revise a plan (twelve sections written at once) and
answer a question; each of these used to wait its own timeout, with its own retries, so a silent
model held a turn for minutes. Now the service opens one `Deadline` (the configured timeout plus a
margin of model time) around each request, and `ModelCalls.call` gives every call only what is left
of it: the HTTP timeout is the time remaining, a 429/5xx is retried only when its Retry-After (or
backoff, which counts as model time) still fits, and no call starts once the budget is spent. A
call that timed out marks the model unresponsive for the rest of the request, so the calls after
it fall back at once instead of waiting again. Section threads get the deadline with the context
they are started in (`contextvars.copy_context`), so work the request abandoned stops calling the
model too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from planbot.config import Settings

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

log = logging.getLogger(__name__)
T = TypeVar("T")
MARGIN_S = 2.0  # the request's bound is the configured timeout plus this
MIN_CALL_S = 0.25  # a call with less than this left would only time out: it is not made
BACKOFF_S = (0.5, 1.0, 2.0, 4.0)


class DeadlinePassed(Exception):
    """No model call was made: the request's deadline has passed, or the model stopped answering."""


@dataclass
class Deadline:
    """The model time one request may spend: a clock that runs while any of its calls is out.

    Only time waiting on the model counts (several concurrent calls count once), so a slow offline
    step between two calls (a cold retrieval index before the prose) takes nothing from the model.
    """

    budget_s: float
    unresponsive: bool = False  # a call in this request timed out: the others fall back at once
    calls: int = 0
    spent_s: float = 0.0
    active: int = 0
    active_since: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def remaining(self) -> float:
        with self.lock:
            running = time.monotonic() - self.active_since if self.active else 0.0
            return self.budget_s - self.spent_s - running

    def expired(self) -> bool:
        return self.unresponsive or self.remaining() < MIN_CALL_S

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """Around a model call (or a wait before retrying one): the clock runs while any is out."""
        with self.lock:
            if self.active == 0:
                self.active_since = time.monotonic()
            self.active += 1
        try:
            yield
        finally:
            with self.lock:
                self.active -= 1
                if self.active == 0:
                    self.spent_s += time.monotonic() - self.active_since


_current: ContextVar[Deadline | None] = ContextVar("planbot_llm_deadline", default=None)


def current() -> Deadline | None:
    return _current.get()


@contextmanager
def request_deadline(seconds: float) -> Iterator[Deadline]:
    """The deadline of the request being served; an inner scope keeps the outer request's."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    deadline = Deadline(seconds)
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)


def _retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    raw = headers.get("retry-after") if headers is not None else None
    try:
        return max(0.0, float(raw)) if raw is not None else None
    except ValueError:  # an HTTP date: treated as "later than this request can wait"
        return float("inf")


class ModelCalls:
    """Chat-model calls bounded by the request's deadline, with retries only where they fit.

    A model is made per call (with the shared HTTP connection pool) so that its timeout is the
    time this request has left; the OpenAI client's own retries are off: they would wait past it.
    """

    def __init__(self, settings: Settings, factory: Callable[[float], BaseChatModel] | None = None) -> None:
        self.timeout_s = settings.llm_timeout_s
        self.max_retries = settings.llm_max_retries
        if factory is None:
            from planbot.llm.client import model_factory  # noqa: PLC0415 - LangChain loads only in LLM mode

            factory = model_factory(settings)
        self.factory = factory

    def budget_s(self) -> float:
        """What one request may spend on the model in all: the timeout plus a margin."""
        return self.timeout_s + MARGIN_S

    def call(self, run: Callable[[BaseChatModel], T]) -> T:
        """`run(model)` within the current request's deadline (a request of its own when none is open)."""
        deadline = current()
        if deadline is None:
            with request_deadline(self.budget_s()) as own:
                return self._call(run, own)
        return self._call(run, deadline)

    def _call(self, run: Callable[[BaseChatModel], T], deadline: Deadline) -> T:
        import openai  # noqa: PLC0415

        attempt = 0
        while True:
            if deadline.expired():
                raise DeadlinePassed("the model did not answer in time" if deadline.unresponsive else "deadline")
            with deadline.lock:
                deadline.calls += 1
            try:
                with deadline.waiting():
                    return run(self.factory(min(self.timeout_s, deadline.remaining())))
            except openai.APITimeoutError:
                deadline.unresponsive = True
                raise
            except (openai.RateLimitError, openai.InternalServerError, openai.APIConnectionError) as exc:
                wait = _retry_after(exc)
                wait = BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)] if wait is None else wait
                if attempt >= self.max_retries or wait > deadline.remaining() - MIN_CALL_S:
                    raise
                log.info("model call failed (%s); retrying in %.1f s", type(exc).__name__, wait)
                attempt += 1
                with deadline.waiting():
                    time.sleep(wait)
