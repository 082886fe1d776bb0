"""Settings: the only place that reads environment variables (prefix PLANBOT_)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_ROOT.parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANBOT_", extra="ignore")

    data_dir: Path = Path("data")
    knowledge_dir: Path = REPO_ROOT / "knowledge"
    chroma_url: str | None = None  # unset: embedded Chroma in the data dir

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"
