"""Configuration from environment variables, checked once at start.

Every problem is a ``ConfigError`` whose message is one line naming the
variable; ``python -m bot`` prints it and exits with status 2.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")


class ConfigError(ValueError):
    """A missing or malformed setting; the message is one line naming it."""


@dataclass(frozen=True)
class Config:
    token: str = ""
    api_base_url: str | None = None
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    db_path: Path = Path("data/bot.sqlite3")
    seeds_dir: Path = Path("seeds")
    library_dir: Path = Path("data/library")    # reports admins add from Telegram (the seeds stay read-only)
    cache_dir: Path | None = Path("data/cache")  # each report's analysis (index.cache); None: analyse every load
    rate_limit: int = 20            # questions per user per minute
    log_level: str = "INFO"


def _admin_ids(raw: str) -> frozenset[int]:
    ids = set()
    for part in raw.replace(" ", "").split(","):
        if not part:
            continue
        if not re.fullmatch(r"-?\d{1,20}", part):
            raise ConfigError(f"BOT_ADMIN_IDS must be comma-separated Telegram user ids, not {part!r}")
        ids.add(int(part))
    return frozenset(ids)


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) <= 0:
        raise ConfigError(f"{name} must be a positive whole number, not {raw!r}")
    return int(raw)


def seeds_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("BOT_SEEDS_DIR", "").strip() or "seeds")


def cache_dir(env: Mapping[str, str] | None = None) -> Path | None:
    """BOT_CACHE_DIR (default data/cache); ``off`` analyses every report at every load."""
    env = os.environ if env is None else env
    raw = env.get("BOT_CACHE_DIR", "").strip()
    if raw.lower() == "off":
        return None
    path = Path(raw or "data/cache")
    if path.exists() and not path.is_dir():
        raise ConfigError(f"BOT_CACHE_DIR {str(path)!r} is a file, not a directory (or set it to off)")
    return path


def load_config(env: Mapping[str, str] | None = None, *, need_token: bool = True) -> Config:
    """Read and check every setting; raise ConfigError on the first bad one."""
    env = os.environ if env is None else env
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if need_token and not token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set (ask @BotFather for a token)")
    if token and not _TOKEN.match(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token (123456:ABC-...)")
    base_url = env.get("TELEGRAM_API_BASE_URL", "").strip() or None
    if base_url and not re.match(r"^https?://[^\s/]+", base_url):
        raise ConfigError(f"TELEGRAM_API_BASE_URL must be an http(s) URL, not {base_url!r}")
    seeds = seeds_dir(env)
    if not seeds.exists():
        raise ConfigError(f"BOT_SEEDS_DIR {str(seeds)!r} does not exist")
    library = Path(env.get("BOT_LIBRARY_DIR", "").strip() or "data/library")
    if library.exists() and not library.is_dir():
        raise ConfigError(f"BOT_LIBRARY_DIR {str(library)!r} is a file, not a directory")
    if library.resolve() == seeds.resolve():
        raise ConfigError("BOT_LIBRARY_DIR must not be BOT_SEEDS_DIR (the bundled reports stay read-only)")
    level = env.get("BOT_LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"BOT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {level!r}")
    return Config(
        token=token,
        api_base_url=base_url,
        admin_ids=_admin_ids(env.get("BOT_ADMIN_IDS", "")),
        db_path=Path(env.get("BOT_DB_PATH", "").strip() or "data/bot.sqlite3"),
        seeds_dir=seeds,
        library_dir=library,
        cache_dir=cache_dir(env),
        rate_limit=_positive_int(env, "BOT_RATE_LIMIT", 20),
        log_level=level,
    )
