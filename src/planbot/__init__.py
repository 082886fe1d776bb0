"""planbot: drafts e-commerce marketing plans from a conversation and a knowledge base."""

__version__ = "0.1.0"
