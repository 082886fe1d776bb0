"""Settings: the only place that reads environment variables (prefix PLANBOT_)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_ROOT.parent.parent


def default_data_dir() -> Path:
    """`data/` of the planbot checkout whatever the working directory (where `make run` keeps it); an
    installed package without a checkout keeps its data in ~/.local/share/planbot."""
    if (REPO_ROOT / "pyproject.toml").is_file():
        return REPO_ROOT / "data"
    return Path.home() / ".local" / "share" / "planbot"


def default_cache_dir() -> Path:
    """Where computed passage vectors are kept between processes (the XDG cache directory)."""
    import os  # noqa: PLC0415 - the one env var read outside Settings' prefix, by the XDG convention

    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "planbot"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANBOT_", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default_factory=default_data_dir)  # a relative PLANBOT_DATA_DIR is from the working dir
    knowledge_dir: Path = REPO_ROOT / "knowledge"
    chroma_url: str | None = None  # unset: embedded Chroma in the data dir
    # passage vectors kept between processes (indexing the same guides again costs no model time)
    embedding_cache_dir: Path = Field(default_factory=default_cache_dir)
    database_url: str | None = None  # unset: SQLite file planbot.db in the data dir
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    max_upload_mb: float = Field(default=20, gt=0, le=500)
    upload_timeout_s: float = Field(default=30, gt=0, le=600)  # reading one uploaded file (PDF, DOCX, ...)
    # indexing one upload: refused before any embedding above this many passages (~600 characters each), and
    # given up (nothing changes) after this many seconds of embedding; searches answer meanwhile either way
    max_upload_chunks: int = Field(default=2000, ge=1, le=100_000)
    index_timeout_s: float = Field(default=300, gt=0, le=3600)
    # search fusion (retrieval/fusion.py), chosen on the uploads evaluation's development split: reciprocal-rank
    # constant, the weight of each ranking, and how much an uploaded guide's passage is lifted over a shipped one
    search_rrf_k: int = Field(default=10, ge=1, le=1000)
    search_dense_weight: float = Field(default=0.5, ge=0, le=10)
    search_bm25_weight: float = Field(default=1.0, ge=0, le=10)
    search_upload_boost: float = Field(default=3.0, ge=1, le=10)
    search_expansion_weight: float = Field(default=0.5, ge=0, le=10)
    # BM25 weight of the other-language words a query's translation adds (retrieval/translate.py, bilingual.yaml),
    # against 1 for its own words; 0 turns query translation off. Chosen on the uploads evaluation's dev split
    search_translation_weight: float = Field(default=1.0, ge=0, le=10)
    max_body_mb: float = Field(default=25, gt=0, le=600)  # any request body; uploads need headroom
    # who may upload guides: open | keys (API-key holders and the local owner) | off | auto (open until a key exists)
    knowledge_uploads: Literal["auto", "open", "keys", "off"] = "auto"
    open_local: bool = True  # with no API keys, requests from loopback need none
    rate_limit_per_minute: int = Field(default=120, ge=0, le=100_000)  # per owner (any kind); 0 turns it off
    # per client address, all its owners together; unset: 5x the owner limit (off when that is 0); 0 turns it off
    rate_limit_per_address_per_minute: int | None = Field(default=None, ge=0, le=1_000_000)
    # failed API keys per client address before it gets 429; unset: 10 (off when the owner limit is 0); 0: off
    rate_limit_auth_failures_per_minute: int | None = Field(default=None, ge=0, le=100_000)
    prompts_dir: Path = REPO_ROOT / "prompts"
    warm_up: bool = True  # draft and render one plan in the background at start, so the first user waits less
    public_url: str | None = None  # where users reach this server (Slack's `link` answers with it)
    # more Host names to answer to, comma-separated (".example.com": with subdomains; "*": any); loopback,
    # PLANBOT_HOST and PLANBOT_PUBLIC_URL's host are always allowed (api/hosts.py, against DNS rebinding)
    allowed_hosts: str | None = None
    slack_signing_secret: SecretStr | None = None  # Slack is served at /slack/events once both are set
    slack_bot_token: SecretStr | None = None
    slack_api_url: str | None = None  # a proxy or a test server instead of https://slack.com/api/
    slack_command: str = Field(default="/plan", pattern=r"^/[\w-]{1,31}$")
    web_enabled: bool = True  # the browser UI at / and /knowledge (owners by signed cookie)
    secret_key: SecretStr | None = None  # signs web cookies; unset: a random key kept in the data dir
    # LLM mode is on only when a model is named; the standard OpenAI variables are honoured too
    llm_model: str | None = None
    llm_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("PLANBOT_LLM_BASE_URL", "OPENAI_BASE_URL")
    )
    llm_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("PLANBOT_LLM_API_KEY", "OPENAI_API_KEY")
    )
    llm_timeout_s: float = Field(default=30, gt=0, le=600)
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    llm_concurrency: int = Field(default=12, ge=1, le=32)  # a plan has 12 prose sections
    llm_structured_method: Literal["function_calling", "json_schema"] = "function_calling"
    # rendered documents (planbot.documents): each new plan version is rendered once by a background job
    render_worker: bool = True  # this process claims and renders jobs (off: another process does, or none)
    render_poll_s: float = Field(default=2, gt=0, le=3600)  # how often an idle worker looks for jobs
    render_stale_s: float = Field(default=120, gt=0, le=86_400)  # a claim not renewed this long is taken over
    render_max_attempts: int = Field(default=3, ge=1, le=20)  # a job that failed this often stays `failed`
    render_processes: int = Field(default=2, ge=0, le=16)  # the job's formats in parallel processes; 0: in-thread

    @property
    def slack_enabled(self) -> bool:
        return self.slack_signing_secret is not None and self.slack_bot_token is not None

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_model)

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"
