"""Renderers: a Plan as Markdown and as a standalone HTML page (more formats in later issues)."""
