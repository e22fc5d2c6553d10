"""Shared fixtures: the engine over seeds/, a temporary store, and the bot wired to an offline Bot API.

Handler tests follow python-telegram-bot's own style: a ``BaseRequest`` subclass
records every call and returns canned Bot API results, and updates go in
through ``Application.process_update(Update.de_json(...))``.  The canned
transport also checks what the real server checks (HTML entities, 4096
characters, callback_data size), so a reply that Telegram would refuse fails here.
"""

from __future__ import annotations

import itertools
import shutil
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.config import Config
from bot.loadbench import BOT_USER, TOKEN, ApiFailure, OfflineRequest
from bot.service import ReportService
from bot.storage import Store
from index import ReportIndex, build_index, load_corpus
from tests.botapi_emulator import ApiError, find_auto_entities, parse_html

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ADMIN_ID = 42
BOT_ID = BOT_USER["id"]
BOT_NAME = BOT_USER["username"]


class CheckingRequest(OfflineRequest):
    """OfflineRequest that refuses what the Bot API would refuse."""

    # Set by a test: (method, params) -> an error description to fail that one call with.
    refuse: Callable[[str, dict[str, Any]], str | None] | None = None

    def result(self, name: str, params: dict[str, Any]) -> Any:
        if self.refuse is not None and (description := self.refuse(name, params)):
            raise ApiFailure(400, f"Bad Request: {description}")
        if name in ("sendMessage", "editMessageText"):
            self._check_text(str(params.get("text", "")), params.get("parse_mode"))
            self._check_markup(params.get("reply_markup"))
        if name == "answerInlineQuery":
            for result in params.get("results", []):
                content = result.get("input_message_content") or {}
                self._check_text(content.get("message_text", ""), content.get("parse_mode"))
                if not 1 <= len(result["id"].encode()) <= 64:
                    raise ApiFailure(400, "Bad Request: RESULT_ID_INVALID")
        if name == "answerCallbackQuery" and len(params.get("text") or "") > 200:
            raise ApiFailure(400, "Bad Request: MESSAGE_TOO_LONG")
        return super().result(name, params)

    @staticmethod
    def _check_text(text: str, parse_mode: Any) -> None:
        try:
            plain = parse_html(text)[0] if parse_mode == "HTML" else text
        except ApiError as exc:
            raise ApiFailure(400, exc.description) from exc
        if not plain.strip():
            raise ApiFailure(400, "Bad Request: message text is empty")
        if len(plain) > 4096:
            raise ApiFailure(400, "Bad Request: message is too long")

    @staticmethod
    def _check_markup(markup: Any) -> None:
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not (data.isascii() and 1 <= len(data.encode()) <= 64):
                    raise ApiFailure(400, "Bad Request: BUTTON_DATA_INVALID")

    # -- what the bot did -------------------------------------------------
    def of(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    def sent(self) -> list[dict[str, Any]]:
        return self.of("sendMessage")

    def replies(self) -> list[dict[str, Any]]:
        """Everything the bot said in chats: sent and edited messages."""
        return [params for name, params in self.calls if name in ("sendMessage", "editMessageText")]

    def clear(self) -> None:
        self.calls.clear()
        self.results.clear()

    def returned(self, params: dict[str, Any]) -> Any:
        """What the (canned) server returned for the call made with ``params``."""
        return next(r for (_, p), r in zip(self.calls, self.results, strict=True) if p is params)


FRONT_MATTER = "---\ntitle: 测试报道\npublisher: 测试日报\npublished: 2024-05-10\n---\n\n"


def small_library(folder: Path, body: str) -> ReportIndex:
    """The index of a one-report library written for a test: the bundled rule files and ``body`` as the report's
    paragraphs (front matter added)."""
    shutil.copytree(SEEDS / "rules", folder / "rules")
    (folder / "report.md").write_text(FRONT_MATTER + body, encoding="utf-8")
    return build_index(load_corpus(folder))


def plain(params: dict[str, Any]) -> str:
    """The text a user sees for a sendMessage/editMessageText call."""
    return parse_html(params["text"])[0]


def buttons(params: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for row in (params.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


@dataclass
class Harness:
    """The application plus helpers that build real Bot API update shapes."""
    app: Application
    request: CheckingRequest
    store: Store
    service: ReportService
    _update_ids: Any = field(default_factory=lambda: itertools.count(1))
    _message_ids: Any = field(default_factory=lambda: itertools.count(1))

    async def process(self, update: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(update, self.app.bot))

    @staticmethod
    def user(user_id: int, name: str = "") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": name or f"User{user_id}"}

    @staticmethod
    def private_chat(user_id: int) -> dict[str, Any]:
        return {"id": user_id, "type": "private", "first_name": f"User{user_id}"}

    @staticmethod
    def group_chat(chat_id: int = -1001, forum: bool = False, kind: str = "supergroup") -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": kind, "title": "读报群"}
        if forum:
            chat["is_forum"] = True
        return chat

    def message(self, chat: dict[str, Any], user_id: int, text: str, *, reply_to: dict[str, Any] | None = None,
                thread: int | None = None, entities: list[dict[str, Any]] | None = None,
                message_id: int | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {"message_id": message_id or next(self._message_ids), "date": int(time.time()),
                                   "chat": chat, "from": self.user(user_id), "text": text}
        found = find_auto_entities(text) if entities is None else entities
        if found:
            message["entities"] = found
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if thread:
            message["message_thread_id"] = thread
            if chat.get("is_forum"):
                message["is_topic_message"] = True
        return message

    def bot_message(self, params: dict[str, Any]) -> dict[str, Any]:
        """A message the bot sent (as the chat would show it), from a recorded sendMessage."""
        message = dict(self.request.returned(params))
        message["text"] = plain(params)
        return message

    async def say(self, chat: dict[str, Any], user_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        message = self.message(chat, user_id, text, **kwargs)
        await self.process({"update_id": next(self._update_ids), "message": message})
        return message

    async def edit(self, message: dict[str, Any], text: str) -> dict[str, Any]:
        edited = dict(message, text=text, edit_date=int(time.time()))
        edited.pop("entities", None)
        if found := find_auto_entities(text):
            edited["entities"] = found
        await self.process({"update_id": next(self._update_ids), "edited_message": edited})
        return edited

    async def press(self, message: dict[str, Any], data: str, user_id: int) -> str:
        query_id = str(next(self._update_ids) + 7_000)
        await self.process({"update_id": next(self._update_ids), "callback_query": {
            "id": query_id, "from": self.user(user_id), "data": data, "message": message,
            "chat_instance": "1"}})
        return query_id

    async def inline(self, user_id: int, query: str) -> str:
        query_id = str(next(self._update_ids) + 9_000)
        await self.process({"update_id": next(self._update_ids), "inline_query": {
            "id": query_id, "from": self.user(user_id), "query": query, "offset": ""}})
        return query_id

    def callback_answer(self, query_id: str) -> dict[str, Any]:
        return next(p for p in self.request.of("answerCallbackQuery") if p["callback_query_id"] == query_id)


@pytest.fixture(scope="session")
def service() -> ReportService:
    return ReportService(SEEDS)


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with Store(tmp_path / "bot.sqlite3") as opened:
        yield opened


def make_config(tmp_path: Path, **overrides: Any) -> Config:
    values: dict[str, Any] = {"token": TOKEN, "admin_ids": frozenset({ADMIN_ID}), "db_path": tmp_path / "bot.sqlite3",
                              "seeds_dir": SEEDS, "rate_limit": 1000}
    values.update(overrides)
    return Config(**values)


@asynccontextmanager
async def running(config: Config, service: ReportService, store: Store) -> AsyncIterator[Harness]:
    """The bot initialised against the checking transport (getMe answered offline)."""
    request = CheckingRequest()
    app = build_application(config, service, store, request=request)
    async with app:
        yield Harness(app, request, store, service)


@pytest.fixture
async def harness(tmp_path: Path, service: ReportService, store: Store) -> AsyncIterator[Harness]:
    async with running(make_config(tmp_path), service, store) as opened:
        yield opened
