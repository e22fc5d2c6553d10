"""Load benchmark: many users asking at once, through the whole application.

Builds the real application (handlers, store with its inbox, engine) with an
offline Bot API transport (``OfflineRequest``: records each call and answers it
with a canned result).  Each round, N users ask at the same moment: their
updates go into the application's update queue the way python-telegram-bot's
polling loop puts them (so each is kept in the inbox first, bot.inbox), and each
user's wait is timed from that moment until the bot's reply reaches the
transport: what a user waits for, queueing included.  The same run times an
echo bot (one handler that sends the text back) through the same application
machinery, as the floor.  Telegram's own flood limits (AIORateLimiter) are left
out: they would measure Telegram, not the bot.  A benchmark, not a test: run it
on a quiet machine and read the figures, nothing asserts on them.

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
from collections.abc import Iterator, Sequence
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
        self.files: dict[str, bytes] = {}               # file_id -> content, for getFile and its download
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
        if "/file/bot" in url:                           # a download: the file itself, not JSON
            self.calls.append(("download", {"file_path": name}))
            self.results.append(None)
            return (200, self.files[name]) if name in self.files else (404, b"Not Found")
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
        if name == "getFile":
            file_id = str(params["file_id"])
            if file_id not in self.files:
                raise ApiFailure(400, "Bad Request: invalid file_id")
            return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files[file_id]),
                    "file_path": file_id}
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


class TimedRequest(OfflineRequest):
    """OfflineRequest that notes when each chat's reply arrived, and says when all expected ones have."""

    def __init__(self) -> None:
        super().__init__()
        self.replied: dict[int, float] = {}
        self.expected = 0
        self.all_replied = asyncio.Event()

    def expect(self, count: int) -> None:
        self.replied.clear()
        self.expected = count
        self.all_replied.clear()

    def result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "sendMessage":
            self.replied.setdefault(int(params["chat_id"]), time.perf_counter())
            if len(self.replied) >= self.expected:
                self.all_replied.set()
        return super().result(name, params)


async def _echo(update: Update, context: Any) -> None:
    if update.effective_message is not None:
        await context.bot.send_message(update.effective_message.chat_id, update.effective_message.text)


async def one_at_a_time(app: Any, request: TimedRequest, count: int, questions: list[str],
                        update_ids: Iterator[int]) -> float:
    """Median milliseconds from putting one update into the queue to its reply, with nothing else going
    on: what handling an update costs (each asked by a new user, so no session carries over)."""
    costs = []
    for n in range(count):
        update = Update.de_json(private_update(next(update_ids), 500_000 + n, questions[n % len(questions)]),
                                app.bot)
        request.expect(1)
        asked = time.perf_counter()
        await app.update_queue.put(update)
        await asyncio.wait_for(request.all_replied.wait(), timeout=60)
        costs.append(next(iter(request.replied.values())) - asked)
    return 1000 * statistics.median(costs)


async def ask_at_once(app: Any, request: TimedRequest, updates: list[Update]) -> float:
    """Put every update into the queue at once (the moment they ask, returned) and wait for every reply."""
    request.expect(len(updates))
    asked = time.perf_counter()
    for update in updates:
        await app.update_queue.put(update)
    await asyncio.wait_for(request.all_replied.wait(), timeout=600)
    return asked


async def waves(app: Any, request: TimedRequest, users: int, rounds: int, questions: list[str]) -> dict[str, float]:
    """What one update costs alone, then ``rounds`` waves of ``users`` questions asked at once, all through
    the running application's update queue."""
    waits: list[float] = []
    update_ids = itertools.count(1)
    cost_ms = await one_at_a_time(app, request, 200, questions, update_ids)
    started = time.perf_counter()
    for round_number in range(rounds):
        updates = [Update.de_json(private_update(next(update_ids), 1_000 + u,
                                                 questions[(u + round_number * users) % len(questions)]), app.bot)
                   for u in range(users)]
        asked = await ask_at_once(app, request, updates)
        waits += [at - asked for at in request.replied.values()]
    elapsed = time.perf_counter() - started
    total = users * rounds
    return {"updates": total, "seconds": elapsed, "updates_per_second": total / elapsed, "cost_ms": cost_ms,
            "p50_ms": 1000 * statistics.median(waits), "p99_ms": 1000 * percentile(waits, 0.99)}


async def delivered_rate(app: Any, request: TimedRequest, users: int, questions: list[str]) -> dict[str, float]:
    """With Telegram's flood limits on (AIORateLimiter): ``users`` ask at once; replies delivered per second,
    from the moment they ask to the last reply."""
    updates = [Update.de_json(private_update(800_000 + u, 900_000 + u, questions[u % len(questions)]), app.bot)
               for u in range(users)]
    asked = await ask_at_once(app, request, updates)
    last = max(request.replied.values()) - asked
    return {"replies": float(len(request.replied)), "seconds": last, "per_second": len(request.replied) / last}


async def bench(users: int, rounds: int, seeds: Path) -> dict[str, dict[str, float]]:
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    from bot.app import build_application
    from bot.config import Config
    from bot.service import ReportService
    from bot.storage import Store

    questions = load_questions()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(token=TOKEN, seeds_dir=seeds, db_path=Path(tmp) / "bench.sqlite3", rate_limit=10_000)
        store = Store(config.db_path)
        request = TimedRequest()
        app = build_application(config, ReportService(seeds), store, request=request, rate_limiter=False)
        await store.open()
        try:
            async with app:
                await app.start()
                results["bot"] = await waves(app, request, users, rounds, questions)
                await app.stop()
        finally:
            await store.close()
        limited_store = Store(Path(tmp) / "limited.sqlite3")
        limited_request = TimedRequest()
        limited = build_application(config, ReportService(seeds), limited_store, request=limited_request)
        await limited_store.open()
        try:
            async with limited:
                await limited.start()
                results["limited"] = await delivered_rate(limited, limited_request, users, questions)
                await limited.stop()
        finally:
            await limited_store.close()
        echo_request = TimedRequest()
        echo = (ApplicationBuilder().token(TOKEN).request(echo_request).get_updates_request(echo_request)
                .concurrent_updates(True).build())
        echo.add_handler(MessageHandler(filters.TEXT, _echo))
        async with echo:
            await echo.start()
            results["echo"] = await waves(echo, echo_request, users, rounds, questions)
            await echo.stop()
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.loadbench", description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="simulated users asking at once (default 200)")
    parser.add_argument("--rounds", type=int, default=3, help="waves of questions (default 3)")
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), help="seeds directory (default seeds/)")
    args = parser.parse_args(argv)
    if args.users < 1 or args.rounds < 1:
        parser.error("--users and --rounds must be positive")
    results = asyncio.run(bench(args.users, args.rounds, args.seeds))
    print(f"{args.users} simulated users asking at once, {args.rounds} rounds; each wait timed from the moment "
          "they ask until the reply reaches the transport:")
    for name, label in (("bot", "this bot"), ("echo", "an echo handler, same application machinery")):
        r = results[name]
        print(f"  {label}: one update alone {r['cost_ms']:.2f} ms (median of 200); all at once: "
              f"{r['updates']:.0f} updates in {r['seconds']:.2f} s ({r['updates_per_second']:.0f}/s), "
              f"wait p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms")
    r = results["limited"]
    print(f"  this bot with Telegram's flood limits (AIORateLimiter): {r['replies']:.0f} of {args.users} replies "
          f"delivered in {r['seconds']:.2f} s: {r['per_second']:.1f} messages/s (Telegram allows 30)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
