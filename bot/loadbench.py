"""Load benchmark: many users asking at once, through the whole application.

Builds the real application (handlers, store, engine) with an offline Bot API
transport (``OfflineRequest``: records each call and answers it with a canned
result), feeds it N private-chat questions concurrently with
``Application.process_update`` and prints updates per second and the p50 / p99
handler latency.  Telegram's own flood limits (AIORateLimiter) are left out:
they would measure Telegram, not the bot.  A benchmark, not a test: run it on a
quiet machine and read the figures, nothing asserts on them.

    python -m bot bench --load                    (same as: python -m bot.loadbench)
    python -m bot bench --load --users 200 --rounds 3
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 123456, "is_bot": True, "first_name": "ReportQABot", "username": "ReportQABot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True}
TOKEN = "123456:" + "A" * 35
QUESTION_FILES = ("tests/data/eval_questions.jsonl", "tests/data/holdout_questions.jsonl")


class OfflineRequest(BaseRequest):
    """A Bot API transport that never leaves the process: records ``(method, params)`` and
    answers with what the real API would return (sent messages echo their parameters)."""

    def __init__(self, bot: dict[str, Any] | None = None) -> None:
        self.bot = dict(bot or BOT_USER)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.results: list[Any] = []                     # what each call returned (None on failure)
        self.errors: dict[str, tuple[int, str]] = {}    # method -> (status, description) to fail with
        self._message_ids = itertools.count(10_000)

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        self.calls.append((name, params))
        self.results.append(None)
        failure = self.errors.get(name)
        if failure is None:
            try:
                result = self.results[-1] = self.result(name, params)
                return 200, json.dumps({"ok": True, "result": result}).encode()
            except ApiFailure as exc:
                failure = (exc.status, exc.description)
        status, description = failure
        return status, json.dumps({"ok": False, "error_code": status, "description": description}).encode()

    def result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return self.bot
        if name == "getUpdates":
            return []
        if name in ("sendMessage", "editMessageText"):
            return self.message(params)
        return True

    def message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message: dict[str, Any] = {
            "message_id": int(params.get("message_id") or next(self._message_ids)), "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": {k: self.bot[k] for k in ("id", "is_bot", "first_name", "username")},
            "text": str(params.get("text", ""))}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        if params.get("message_thread_id"):
            message.update(message_thread_id=int(params["message_thread_id"]), is_topic_message=True)
        return message


class ApiFailure(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


def load_questions(paths: Sequence[str] = QUESTION_FILES) -> list[str]:
    questions = []
    for path in map(Path, paths):
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    questions.append(json.loads(line)["q"])
    if not questions:
        from index.rules import load_examples
        questions = load_examples(Path("seeds") / "rules" / "examples.txt")
    return questions


def private_update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
    chat = {"id": user_id, "type": "private", "first_name": user["first_name"]}
    return {"update_id": update_id, "message": {"message_id": 1, "date": int(time.time()), "chat": chat,
                                                "from": user, "text": text}}


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def bench(users: int, rounds: int, seeds: Path) -> dict[str, float]:
    from bot.app import build_application
    from bot.config import Config
    from bot.service import ReportService
    from bot.storage import Store

    questions = load_questions()
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(token=TOKEN, seeds_dir=seeds, db_path=Path(tmp) / "bench.sqlite3", rate_limit=10_000)
        store = Store(config.db_path)
        request = OfflineRequest()
        app = build_application(config, ReportService(seeds), store, request=request, rate_limiter=False)
        await store.open()
        latencies: list[float] = []
        try:
            async with app:
                async def one(data: dict[str, Any]) -> None:
                    started = time.perf_counter()
                    await app.process_update(Update.de_json(data, app.bot))
                    latencies.append(time.perf_counter() - started)

                update_ids = itertools.count(1)
                started = time.perf_counter()
                for round_number in range(rounds):
                    await asyncio.gather(*(one(private_update(next(update_ids), 1_000 + u,
                                                              questions[(u + round_number * users) % len(questions)]))
                                           for u in range(users)))
                elapsed = time.perf_counter() - started
        finally:
            await store.close()
        sent = sum(1 for name, _ in request.calls if name == "sendMessage")
    total = users * rounds
    return {"updates": total, "seconds": elapsed, "updates_per_second": total / elapsed,
            "p50_ms": 1000 * statistics.median(latencies), "p99_ms": 1000 * percentile(latencies, 0.99),
            "messages_sent": sent}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.loadbench", description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="simulated users asking at once (default 200)")
    parser.add_argument("--rounds", type=int, default=3, help="waves of questions (default 3)")
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), help="seeds directory (default seeds/)")
    args = parser.parse_args(argv)
    if args.users < 1 or args.rounds < 1:
        parser.error("--users and --rounds must be positive")
    result = asyncio.run(bench(args.users, args.rounds, args.seeds))
    print(f"{result['updates']} updates ({args.users} simulated users asking at once, {args.rounds} rounds) "
          f"in {result['seconds']:.2f} s: {result['updates_per_second']:.0f} updates/s; "
          f"handler latency p50 {result['p50_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms; "
          f"{result['messages_sent']} replies sent")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
