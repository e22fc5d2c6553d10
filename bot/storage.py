"""What the bot remembers, in SQLite through aiosqlite.

Chat sessions (per chat, and per topic in forums), the query log, which answer
message belongs to which question message (so an edited question edits its
answer), feedback, and admin actions.  The bot creates and migrates its own
schema (``PRAGMA user_version``), runs in WAL mode and commits every write at
once, so a SIGTERM loses nothing that was answered.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite

# One script per schema version; never edit a released one, append a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: sessions, query log, feedback, admin actions
    """
    CREATE TABLE sessions (
        chat_id    INTEGER NOT NULL,
        thread_id  INTEGER NOT NULL DEFAULT 0,
        state      TEXT    NOT NULL,
        updated_at REAL    NOT NULL,
        PRIMARY KEY (chat_id, thread_id)
    );
    CREATE TABLE queries (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        ts         REAL    NOT NULL,
        chat_id    INTEGER,
        thread_id  INTEGER NOT NULL DEFAULT 0,
        chat_type  TEXT    NOT NULL,
        user_id    INTEGER,
        via        TEXT    NOT NULL,
        question   TEXT    NOT NULL,
        kind       TEXT    NOT NULL,
        answered   INTEGER NOT NULL,
        paragraphs TEXT    NOT NULL DEFAULT '[]',
        latency_ms REAL,
        state      TEXT
    );
    CREATE TABLE feedback (
        query_id INTEGER NOT NULL REFERENCES queries(id),
        user_id  INTEGER NOT NULL,
        vote     INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        ts       REAL    NOT NULL,
        PRIMARY KEY (query_id, user_id)
    );
    CREATE TABLE admin_actions (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        ts      REAL    NOT NULL,
        user_id INTEGER,
        chat_id INTEGER,
        command TEXT    NOT NULL,
        allowed INTEGER NOT NULL,
        detail  TEXT    NOT NULL DEFAULT ''
    );
    """,
    # 2: question message -> answer messages (edited questions), indexes for /stats
    """
    CREATE TABLE answers (
        chat_id     INTEGER NOT NULL,
        message_id  INTEGER NOT NULL,
        answer_ids  TEXT    NOT NULL,
        query_id    INTEGER REFERENCES queries(id),
        PRIMARY KEY (chat_id, message_id)
    );
    CREATE INDEX queries_ts ON queries(ts);
    CREATE INDEX admin_actions_ts ON admin_actions(ts);
    """,
    # 3: the bot's own settings (the key that signs buttons)
    """
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

# Rows that are questions someone asked (not 更多 presses or inline keystrokes).
QUESTION_VIAS = ("text", "ask", "edit", "example")


class StorageError(RuntimeError):
    """The database cannot be used (newer schema, unreadable file); the message says which."""


@dataclass(frozen=True)
class QueryRecord:
    id: int
    ts: float
    chat_id: int | None
    thread_id: int
    question: str
    kind: str
    answered: bool
    paragraphs: list[str]
    state: dict[str, Any] | None


@dataclass(frozen=True)
class LinkedAnswer:
    answer_ids: list[int]
    query_id: int | None


@dataclass
class Stats:
    today: int
    week: int
    answered_week: int
    asked_week: int                 # questions that could be answered (greetings left out)
    top: list[tuple[str, int]] = field(default_factory=list)
    unanswered: list[tuple[float, str]] = field(default_factory=list)
    thumbs_up: int = 0
    thumbs_down: int = 0

    @property
    def answered_share(self) -> float | None:
        return self.answered_week / self.asked_week if self.asked_week else None


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db: aiosqlite.Connection | None = None
        self._write = asyncio.Lock()   # one write transaction at a time on the shared connection
        self._button_secret: bytes | None = None

    # -- lifecycle -------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self._db is not None

    async def open(self) -> Store:
        if self._db is not None:
            return self
        try:
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            db = await aiosqlite.connect(self.path)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open database {self.path}: {exc}") from exc
        try:
            await db.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL is safe against the process dying (only power loss may lose the last commit).
            await db.execute("PRAGMA synchronous=NORMAL")
            await db.execute("PRAGMA busy_timeout=5000")
            await db.execute("PRAGMA foreign_keys=ON")
            await self._migrate(db)
            self._button_secret = await self._load_button_secret(db)
        except sqlite3.Error as exc:
            await db.close()
            raise StorageError(f"cannot use database {self.path}: {exc}") from exc
        except BaseException:
            await db.close()
            raise
        self._db = db
        return self

    async def close(self) -> None:
        if self._db is None:
            return
        db, self._db = self._db, None
        async with self._write:
            await db.commit()
            await db.close()

    async def __aenter__(self) -> Store:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @staticmethod
    async def _migrate(db: aiosqlite.Connection) -> None:
        version = await Store._user_version(db)
        if version > SCHEMA_VERSION:
            raise StorageError(f"database schema version {version} is newer than this bot ({SCHEMA_VERSION})")
        for number in range(version, SCHEMA_VERSION):
            # user_version is part of the database header, so it commits with the migration.
            await db.executescript(f"BEGIN;\n{MIGRATIONS[number]}\nPRAGMA user_version = {number + 1};\nCOMMIT;")

    @staticmethod
    async def _load_button_secret(db: aiosqlite.Connection) -> bytes:
        """The key that signs buttons (bot.buttons): made once, then kept with the data it protects,
        so a button survives a restart and a database reset makes every old button expire."""
        await db.execute("INSERT OR IGNORE INTO settings (key, value) VALUES ('button_secret', ?)",
                         (secrets.token_hex(32),))
        await db.commit()
        async with db.execute("SELECT value FROM settings WHERE key = 'button_secret'") as cursor:
            row = await cursor.fetchone()
        if row is None:
            raise StorageError("the button secret could not be stored")
        return bytes.fromhex(str(row[0]))

    @property
    def button_secret(self) -> bytes:
        if self._button_secret is None:
            raise StorageError("the store is not open")
        return self._button_secret

    @staticmethod
    async def _user_version(db: aiosqlite.Connection) -> int:
        async with db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StorageError("the store is not open")
        return self._db

    async def schema_version(self) -> int:
        return await self._user_version(self.db)

    async def journal_mode(self) -> str:
        async with self.db.execute("PRAGMA journal_mode") as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else ""

    async def _run(self, *statements: tuple[str, tuple[Any, ...]]) -> int | None:
        """Run statements as one committed transaction; returns the last row id."""
        async with self._write:
            last = None
            try:
                for sql, params in statements:
                    cursor = await self.db.execute(sql, params)
                    last = cursor.lastrowid
                    await cursor.close()
                await self.db.commit()
            except BaseException:
                await self.db.rollback()
                raise
            return last

    # -- sessions --------------------------------------------------------
    async def load_session(self, chat_id: int, thread_id: int = 0) -> dict[str, Any] | None:
        async with self.db.execute("SELECT state FROM sessions WHERE chat_id = ? AND thread_id = ?",
                                   (chat_id, thread_id)) as cursor:
            row = await cursor.fetchone()
        return _json_dict(row[0]) if row else None

    async def save_session(self, chat_id: int, thread_id: int, state: dict[str, Any]) -> None:
        await self._run(_session_upsert(chat_id, thread_id, state))

    # -- query log -------------------------------------------------------
    async def log_query(self, *, chat_id: int | None, thread_id: int = 0, chat_type: str, user_id: int | None,
                        via: str, question: str, kind: str, answered: bool, paragraphs: list[str],
                        latency_ms: float | None = None, state: dict[str, Any] | None = None,
                        save_session: bool = False) -> int:
        """Log one answered (or declined) question; with ``save_session`` also store ``state``
        as the chat's session in the same transaction.  Returns the query id."""
        insert = ("INSERT INTO queries (ts, chat_id, thread_id, chat_type, user_id, via, question, kind, answered,"
                  " paragraphs, latency_ms, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  (time.time(), chat_id, thread_id, chat_type, user_id, via, question, kind, int(answered),
                   json.dumps(paragraphs, ensure_ascii=False), latency_ms,
                   None if state is None else json.dumps(state, ensure_ascii=False)))
        statements = [insert]
        if save_session and chat_id is not None and state is not None:
            statements.insert(0, _session_upsert(chat_id, thread_id, state))
        query_id = await self._run(*statements)
        assert query_id is not None
        return query_id

    async def query(self, query_id: int) -> QueryRecord | None:
        async with self.db.execute("SELECT id, ts, chat_id, thread_id, question, kind, answered, paragraphs, state"
                                   " FROM queries WHERE id = ?", (query_id,)) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return QueryRecord(id=row[0], ts=row[1], chat_id=row[2], thread_id=row[3], question=row[4], kind=row[5],
                           answered=bool(row[6]), paragraphs=json.loads(row[7] or "[]"),
                           state=_json_dict(row[8]) if row[8] else None)

    async def queries(self, limit: int = 1000) -> list[QueryRecord]:
        async with self.db.execute("SELECT id FROM queries ORDER BY id DESC LIMIT ?", (limit,)) as cursor:
            ids = [row[0] for row in await cursor.fetchall()]
        records = [await self.query(i) for i in reversed(ids)]
        return [r for r in records if r is not None]

    # -- answer messages -------------------------------------------------
    async def link_answer(self, chat_id: int, message_id: int, answer_ids: list[int], query_id: int | None,
                          latency_ms: float | None = None) -> None:
        """Remember which messages answer question ``message_id``; also records the final latency."""
        statements: list[tuple[str, tuple[Any, ...]]] = [(
                      "INSERT INTO answers (chat_id, message_id, answer_ids, query_id) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT (chat_id, message_id) DO UPDATE SET answer_ids = excluded.answer_ids,"
                       " query_id = excluded.query_id", (chat_id, message_id, json.dumps(answer_ids), query_id))]
        if query_id is not None and latency_ms is not None:
            statements.append(("UPDATE queries SET latency_ms = ? WHERE id = ?", (latency_ms, query_id)))
        await self._run(*statements)

    async def set_latency(self, query_id: int, latency_ms: float) -> None:
        await self._run(("UPDATE queries SET latency_ms = ? WHERE id = ?", (latency_ms, query_id)))

    async def linked_answer(self, chat_id: int, message_id: int) -> LinkedAnswer | None:
        async with self.db.execute("SELECT answer_ids, query_id FROM answers WHERE chat_id = ? AND message_id = ?",
                                   (chat_id, message_id)) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return LinkedAnswer([int(i) for i in json.loads(row[0])], row[1])

    # -- feedback and admin actions ---------------------------------------
    async def add_feedback(self, query_id: int, user_id: int, vote: int) -> bool:
        """Store 👍 (+1) or 👎 (-1); a second press by the same user replaces the first.
        False when the query is unknown (an answer from a deleted database)."""
        if await self.query(query_id) is None:
            return False
        await self._run(("INSERT INTO feedback (query_id, user_id, vote, ts) VALUES (?, ?, ?, ?)"
                         " ON CONFLICT (query_id, user_id) DO UPDATE SET vote = excluded.vote, ts = excluded.ts",
                         (query_id, user_id, 1 if vote > 0 else -1, time.time())))
        return True

    async def feedback(self, query_id: int) -> dict[int, int]:
        async with self.db.execute("SELECT user_id, vote FROM feedback WHERE query_id = ?", (query_id,)) as cursor:
            return {row[0]: row[1] for row in await cursor.fetchall()}

    async def log_admin(self, *, user_id: int | None, chat_id: int | None, command: str, allowed: bool,
                        detail: str = "") -> None:
        await self._run(("INSERT INTO admin_actions (ts, user_id, chat_id, command, allowed, detail)"
                         " VALUES (?, ?, ?, ?, ?, ?)", (time.time(), user_id, chat_id, command, int(allowed), detail)))

    async def admin_actions(self, limit: int = 100) -> list[dict[str, Any]]:
        async with self.db.execute("SELECT ts, user_id, chat_id, command, allowed, detail FROM admin_actions"
                                   " ORDER BY id DESC LIMIT ?", (limit,)) as cursor:
            rows = await cursor.fetchall()
        keys = ("ts", "user_id", "chat_id", "command", "allowed", "detail")
        return [dict(zip(keys, row, strict=True)) for row in reversed(list(rows))]

    # -- /stats ----------------------------------------------------------
    async def stats(self, now: float | None = None, top: int = 5, latest: int = 5) -> Stats:
        now = time.time() if now is None else now
        local = datetime.fromtimestamp(now).astimezone()
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        today_start = midnight.timestamp()
        week_start = (midnight - timedelta(days=6)).timestamp()   # today and the six days before
        vias = ",".join("?" * len(QUESTION_VIAS))
        where = f"via IN ({vias}) AND ts >= ?"

        async def scalar(sql: str, params: tuple[Any, ...]) -> int:
            async with self.db.execute(sql, params) as cursor:
                row = await cursor.fetchone()
            return int(row[0] or 0) if row else 0

        today = await scalar(f"SELECT COUNT(*) FROM queries WHERE {where}", (*QUESTION_VIAS, today_start))
        week = await scalar(f"SELECT COUNT(*) FROM queries WHERE {where}", (*QUESTION_VIAS, week_start))
        asked = await scalar(f"SELECT COUNT(*) FROM queries WHERE {where} AND kind != 'help'",
                             (*QUESTION_VIAS, week_start))
        answered = await scalar(f"SELECT COUNT(*) FROM queries WHERE {where} AND answered = 1",
                                (*QUESTION_VIAS, week_start))
        async with self.db.execute(
                f"SELECT question, COUNT(*) AS n FROM queries WHERE {where} AND kind != 'help'"
                " GROUP BY lower(trim(question)) ORDER BY n DESC, MAX(ts) DESC LIMIT ?",
                (*QUESTION_VIAS, week_start, top)) as cursor:
            top_rows = [(row[0], int(row[1])) for row in await cursor.fetchall()]
        async with self.db.execute(
                f"SELECT ts, question FROM queries WHERE {where} AND kind = 'not_found' ORDER BY ts DESC, id DESC"
                " LIMIT ?", (*QUESTION_VIAS, week_start, latest)) as cursor:
            unanswered = [(row[0], row[1]) for row in await cursor.fetchall()]
        up = await scalar("SELECT COUNT(*) FROM feedback WHERE vote = 1 AND ts >= ?", (week_start,))
        down = await scalar("SELECT COUNT(*) FROM feedback WHERE vote = -1 AND ts >= ?", (week_start,))
        return Stats(today=today, week=week, answered_week=answered, asked_week=asked, top=top_rows,
                     unanswered=unanswered, thumbs_up=up, thumbs_down=down)


def _session_upsert(chat_id: int, thread_id: int, state: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
    return ("INSERT INTO sessions (chat_id, thread_id, state, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (chat_id, thread_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            (chat_id, thread_id, json.dumps(state, ensure_ascii=False), time.time()))


def _json_dict(raw: str) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return None    # a damaged row is a forgotten session, not a crash
    return value if isinstance(value, dict) else None
