"""The chat model: LangChain's ChatOpenAI against any OpenAI-compatible endpoint.

Timeouts and retries (with exponential backoff on 429 and 5xx, honouring Retry-After) are the
OpenAI client's own. Nothing here counts tokens locally: tiktoken would download its vocabulary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planbot.config import Settings

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel


def chat_model(settings: Settings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI  # noqa: PLC0415 - only in LLM mode

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return ChatOpenAI(
        model=settings.llm_model or "",
        base_url=settings.llm_base_url,
        api_key=key,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        temperature=0.3,
    )
