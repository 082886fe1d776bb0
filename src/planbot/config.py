"""Settings: the only place that reads environment variables (prefix PLANBOT_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_ROOT.parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANBOT_", extra="ignore")

    data_dir: Path = Path("data")
    knowledge_dir: Path = REPO_ROOT / "knowledge"
    chroma_url: str | None = None  # unset: embedded Chroma in the data dir
    database_url: str | None = None  # unset: SQLite file planbot.db in the data dir
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    max_upload_mb: float = Field(default=20, gt=0, le=500)
    max_body_mb: float = Field(default=25, gt=0, le=600)  # any request body; uploads need headroom
    open_local: bool = True  # with no API keys, requests from loopback need none

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"
