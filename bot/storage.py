"""What the bot remembers, in SQLite: writes and short reads on a plain connection on the event loop,
longer reads (/stats, the query log) through aiosqlite's thread.

Chat sessions (per chat, and per topic in forums), the query log, which answer
message belongs to which question message (so an edited question edits its
answer), feedback, admin actions, and the inbox of updates not yet settled
(bot.inbox).  A query is logged only once its reply reached Telegram (or was
given up), with the chat's new session and the update settled in the same
transaction.  The bot creates and migrates its own schema (``PRAGMA
user_version``), runs in WAL mode and commits every write at once, so neither
SIGTERM nor kill -9 loses what was committed.
"""

from __future__ import annotations

import copy
import json
import secrets
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

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
    # 4: the inbox (every update Telegram handed over, until it is settled) and how each answer was delivered
    """
    CREATE TABLE inbox (
        update_id INTEGER PRIMARY KEY,
        received  REAL    NOT NULL,
        body      TEXT    NOT NULL,
        settled   REAL
    );
    CREATE INDEX inbox_owed ON inbox(received) WHERE settled IS NULL;
    ALTER TABLE queries ADD COLUMN delivery TEXT NOT NULL DEFAULT 'sent';
    """,
    # 5: reports an admin uploaded and has not saved or cancelled yet
    """
    CREATE TABLE uploads (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        ts      REAL    NOT NULL,
        user_id INTEGER NOT NULL,
        chat_id INTEGER NOT NULL,
        name    TEXT    NOT NULL,
        body    BLOB    NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

T = TypeVar("T")

# Rows that are questions someone asked (not 更多 presses or inline keystrokes).
QUESTION_VIAS = ("text", "ask", "edit", "example")
# How an answer ended: Telegram took it, or it was given up after bot.delivery's retries.
SENT, GIVEN_UP = "sent", "given_up"
# Sessions kept in memory as well (the most recently used chats and topics).
SESSION_CACHE = 10_000
# Settled inbox rows are kept this long (seconds), for the record, then deleted at start.
INBOX_KEEP = 24 * 3600


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


@dataclass(frozen=True)
class Entry:
    """One row of the query log, written once its reply reached Telegram (or was given up)."""
    id: int
    chat_id: int | None
    thread_id: int
    chat_type: str
    user_id: int | None
    via: str
    question: str
    kind: str
    answered: bool
    paragraphs: list[str]
    state: dict[str, Any] | None = None      # the session after this answer (更多 pages on from it)
    latency_ms: float | None = None


@dataclass(frozen=True)
class Upload:
    """A report an admin sent, kept until they press 保存 or 取消."""
    id: int
    user_id: int
    chat_id: int
    name: str
    body: bytes


@dataclass(frozen=True)
class Owed:
    """An update Telegram handed over that was never settled (the bot stopped while handling it)."""
    update_id: int
    received: float
    body: dict[str, Any]


@dataclass
class Stats:
    today: int
    week: int
    answered_week: int
    asked_week: int                 # questions that could be answered (greetings left out)
    given_up_week: int = 0          # answers Telegram never took, after two minutes of retries
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
        # The hot path (an update's inbox row, its session, its answer) on a plain connection on the event loop:
        # an INSERT and COMMIT there takes 0.015 ms, one trip to aiosqlite's thread 0.1 ms.  Longer reads
        # (/stats, the query log) stay on aiosqlite's thread, so they never hold the loop.
        self._plain: sqlite3.Connection | None = None
        self._button_secret: bytes | None = None
        self._last_query_id = 0        # query ids are handed out here, before the row is written
        self._sessions: OrderedDict[tuple[int, int], dict[str, Any] | None] = OrderedDict()

    # -- lifecycle -------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self._db is not None

    async def open(self) -> Store:
        if self._db is not None:
            return self
        if str(self.path) == ":memory:":
            raise StorageError("BOT_DB_PATH must be a file: the bot opens it twice (see Store.__init__)")
        try:
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
            self._last_query_id = await self._max_query_id(db)
            await db.execute("DELETE FROM inbox WHERE settled < ?", (time.time() - INBOX_KEEP,))
            await db.commit()
            self._plain = _plain_connection(self.path)
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
        if self._plain is not None:
            self._plain.close()
            self._plain = None
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

    @staticmethod
    async def _max_query_id(db: aiosqlite.Connection) -> int:
        """The highest query id ever handed out (AUTOINCREMENT's record, so ids are never reused)."""
        async with db.execute("SELECT COALESCE(MAX(id), 0) FROM queries") as cursor:
            row = await cursor.fetchone()
        async with db.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'queries'") as cursor:
            seq = await cursor.fetchone()
        return max(int(row[0]) if row else 0, int(seq[0]) if seq else 0)

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
    def plain(self) -> sqlite3.Connection:
        if self._plain is None:
            raise StorageError("the store is not open")
        return self._plain

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

    async def _transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` as one committed transaction on the plain connection, right here on the loop (no await
        inside, so no other transaction interleaves)."""
        conn = self.plain
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    async def _run(self, *statements: tuple[str, tuple[Any, ...]]) -> int | None:
        """Run statements as one committed transaction; returns the last row id."""
        def work(conn: sqlite3.Connection) -> int | None:
            last = None
            for sql, params in statements:
                last = conn.execute(sql, params).lastrowid
            return last
        return await self._transaction(work)

    async def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """A short query's rows (a session, an upload by its key)."""
        return self.plain.execute(sql, params).fetchall()

    # -- sessions --------------------------------------------------------
    async def load_session(self, chat_id: int, thread_id: int = 0) -> dict[str, Any] | None:
        key = (chat_id, thread_id)
        if key in self._sessions:
            self._sessions.move_to_end(key)
            return copy.deepcopy(self._sessions[key])
        rows = await self._rows("SELECT state FROM sessions WHERE chat_id = ? AND thread_id = ?", key)
        state = _json_dict(rows[0][0]) if rows else None
        self._remember_session(key, state)
        return copy.deepcopy(state)

    def _remember_session(self, key: tuple[int, int], state: dict[str, Any] | None) -> None:
        """Sessions recently used are kept in memory too (written through: the database is what a restart
        reads), sparing a trip to the database thread per question."""
        self._sessions[key] = copy.deepcopy(state)
        self._sessions.move_to_end(key)
        while len(self._sessions) > SESSION_CACHE:
            self._sessions.popitem(last=False)

    async def save_session(self, chat_id: int, thread_id: int, state: dict[str, Any]) -> None:
        await self._run(_session_upsert(chat_id, thread_id, state))
        self._remember_session((chat_id, thread_id), state)

    # -- inbox -------------------------------------------------------------
    async def receive(self, update_id: int, body: dict[str, Any]) -> bool:
        """Keep an update before Telegram is told it arrived; False when it was settled already (Telegram
        hands an update over again when the bot stopped before confirming it)."""
        def work(conn: sqlite3.Connection) -> bool:
            if conn.execute("INSERT OR IGNORE INTO inbox (update_id, received, body) VALUES (?, ?, ?)",
                            (update_id, time.time(), json.dumps(body, ensure_ascii=False))).rowcount:
                return True
            row = conn.execute("SELECT settled FROM inbox WHERE update_id = ?", (update_id,)).fetchone()
            return row is not None and row[0] is None
        return await self._transaction(work)

    async def settle(self, update_id: int) -> None:
        """The update needs nothing more (answered, ignored, refused or given up)."""
        await self._run(_settle(update_id))

    async def owed(self) -> list[Owed]:
        """Updates never settled, oldest first."""
        async with self.db.execute("SELECT update_id, received, body FROM inbox WHERE settled IS NULL"
                                   " ORDER BY update_id") as cursor:
            rows = await cursor.fetchall()
        owed = []
        for update_id, received, body in rows:
            data = _json_dict(body)
            if data is not None:
                owed.append(Owed(int(update_id), float(received), data))
        return owed

    # -- query log -------------------------------------------------------
    def next_query_id(self) -> int:
        """A query id for an answer about to be sent (its buttons carry it); the row follows with
        ``record``.  One bot process per database, so an in-memory counter is enough."""
        self._last_query_id += 1
        return self._last_query_id

    async def record(self, entry: Entry, *, delivery: str = SENT, session: bool = False,
                     question_message: int | None = None, answer_ids: Sequence[int] = (),
                     update_id: int | None = None) -> None:
        """Everything an answer leaves behind, in one transaction, once its fate is known: the query log
        row (``delivery``: sent or given up); if sent, the chat's new session (``session``) and which
        messages answer ``question_message`` (an edited question edits them); and the update settled."""
        statements = [_insert_entry(entry, delivery)]
        saved = None
        if delivery == SENT:
            if session and entry.chat_id is not None and entry.state is not None:
                statements.append(_session_upsert(entry.chat_id, entry.thread_id, entry.state))
                saved = (entry.chat_id, entry.thread_id)
            if question_message is not None and entry.chat_id is not None:
                statements.append(_answer_link(entry.chat_id, question_message, list(answer_ids), entry.id))
        if update_id is not None:
            statements.append(_settle(update_id))
        await self._run(*statements)
        if saved is not None:
            self._remember_session(saved, entry.state)

    async def log_query(self, *, chat_id: int | None, thread_id: int = 0, chat_type: str, user_id: int | None,
                        via: str, question: str, kind: str, answered: bool, paragraphs: list[str],
                        latency_ms: float | None = None, state: dict[str, Any] | None = None,
                        save_session: bool = False) -> int:
        """Log one question that was answered (or declined) already; with ``save_session`` also store
        ``state`` as the chat's session in the same transaction.  Returns the query id."""
        entry = Entry(self.next_query_id(), chat_id, thread_id, chat_type, user_id, via, question, kind, answered,
                      paragraphs, state, latency_ms)
        await self.record(entry, session=save_session)
        return entry.id

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
    async def link_answer(self, chat_id: int, message_id: int, answer_ids: list[int], query_id: int | None) -> None:
        """Remember which messages answer question ``message_id``."""
        await self._run(_answer_link(chat_id, message_id, answer_ids, query_id))

    async def linked_answer(self, chat_id: int, message_id: int) -> LinkedAnswer | None:
        async with self.db.execute("SELECT answer_ids, query_id FROM answers WHERE chat_id = ? AND message_id = ?",
                                   (chat_id, message_id)) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return LinkedAnswer([int(i) for i in json.loads(row[0])], row[1])

    # -- uploads (reports waiting for 保存 / 取消) --------------------------
    async def add_upload(self, user_id: int, chat_id: int, name: str, body: bytes) -> int:
        upload_id = await self._run(("INSERT INTO uploads (ts, user_id, chat_id, name, body) VALUES (?, ?, ?, ?, ?)",
                                     (time.time(), user_id, chat_id, name, body)))
        assert upload_id is not None
        return upload_id

    async def upload(self, upload_id: int) -> Upload | None:
        rows = await self._rows("SELECT id, user_id, chat_id, name, body FROM uploads WHERE id = ?", (upload_id,))
        return Upload(int(rows[0][0]), int(rows[0][1]), int(rows[0][2]), str(rows[0][3]), bytes(rows[0][4])) \
            if rows else None

    async def drop_upload(self, upload_id: int) -> bool:
        """Forget an upload; False when it was gone already (saved or cancelled by an earlier press)."""
        def work(conn: sqlite3.Connection) -> bool:
            return conn.execute("DELETE FROM uploads WHERE id = ?", (upload_id,)).rowcount > 0
        return await self._transaction(work)

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
        answered = await scalar(f"SELECT COUNT(*) FROM queries WHERE {where} AND answered = 1 AND delivery = ?",
                                (*QUESTION_VIAS, week_start, SENT))
        given_up = await scalar(f"SELECT COUNT(*) FROM queries WHERE {where} AND delivery = ?",
                                (*QUESTION_VIAS, week_start, GIVEN_UP))
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
        return Stats(today=today, week=week, answered_week=answered, asked_week=asked, given_up_week=given_up,
                     top=top_rows,
                     unanswered=unanswered, thumbs_up=up, thumbs_down=down)


def _plain_connection(path: Path) -> sqlite3.Connection:
    """A second connection to the (already WAL) database, in autocommit mode: transactions are explicit."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    # Per connection: with WAL, NORMAL is safe against the process dying (only power loss may lose the last commit).
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=5000")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def _insert_entry(entry: Entry, delivery: str) -> tuple[str, tuple[Any, ...]]:
    return ("INSERT INTO queries (id, ts, chat_id, thread_id, chat_type, user_id, via, question, kind, answered,"
            " paragraphs, latency_ms, state, delivery) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (entry.id, time.time(), entry.chat_id, entry.thread_id, entry.chat_type, entry.user_id, entry.via,
             entry.question, entry.kind, int(entry.answered), json.dumps(entry.paragraphs, ensure_ascii=False),
             entry.latency_ms, None if entry.state is None else json.dumps(entry.state, ensure_ascii=False),
             delivery))


def _answer_link(chat_id: int, message_id: int, answer_ids: list[int],
                 query_id: int | None) -> tuple[str, tuple[Any, ...]]:
    return ("INSERT INTO answers (chat_id, message_id, answer_ids, query_id) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (chat_id, message_id) DO UPDATE SET answer_ids = excluded.answer_ids,"
            " query_id = excluded.query_id", (chat_id, message_id, json.dumps(answer_ids), query_id))


def _settle(update_id: int) -> tuple[str, tuple[Any, ...]]:
    return "UPDATE inbox SET settled = ? WHERE update_id = ? AND settled IS NULL", (time.time(), update_id)


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
