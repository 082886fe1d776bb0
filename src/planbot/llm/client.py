"""The chat model: LangChain's ChatOpenAI against any OpenAI-compatible endpoint.

One model object per call, all sharing one HTTP connection pool: the call's timeout is what the
request has left (`llm/deadline.py`), and the OpenAI client's own retries are off because they
would wait past it. Nothing here counts tokens locally: tiktoken would download its vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from planbot.config import Settings

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel


def model_factory(settings: Settings) -> Callable[[float], BaseChatModel]:
    import httpx  # noqa: PLC0415 - only in LLM mode
    from langchain_openai import ChatOpenAI  # noqa: PLC0415

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    pool = httpx.Client(limits=httpx.Limits(max_connections=2 * settings.llm_concurrency))

    def make(timeout_s: float) -> BaseChatModel:
        return ChatOpenAI(
            model=settings.llm_model or "",
            base_url=settings.llm_base_url,
            api_key=key,
            timeout=timeout_s,
            max_retries=0,
            http_client=pool,
            temperature=0.3,
        )

    return make
