"""LLM mode: an OpenAI-compatible chat model (through LangChain) writes prose; numbers stay the builder's."""
