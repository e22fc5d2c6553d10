"""End to end: the bot as a real process (``python -m bot run``) against the Bot API emulator.

The bot talks real HTTP to tests/botapi_emulator.py on 127.0.0.1 through
``TELEGRAM_API_BASE_URL``, with a temporary database and a temporary copy of
seeds/.  The test plays users and waits for the bot's reactions (``wait_for``
with a timeout; nothing sleeps to time anything), then stops the bot with
SIGTERM and reads the query log the process left behind.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from bot.loadbench import TOKEN
from bot.service import ReportService
from tests.botapi_emulator import BotApiEmulator
from tests.conftest import ROOT

ADMIN = 42
BOT_NAME = "ReportQABot"
START_TIMEOUT = 90.0     # engine load on a busy shared machine
STEP_TIMEOUT = 30.0

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


class BotProcess:
    def __init__(self, emu: BotApiEmulator, seeds: Path, db: Path, log: Path, args: Sequence[str] = ()) -> None:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": emu.base_url,
               "BOT_ADMIN_IDS": str(ADMIN), "BOT_DB_PATH": str(db), "BOT_SEEDS_DIR": str(seeds),
               "BOT_LIBRARY_DIR": str(db.parent / "library"),
               "BOT_LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"}
        self.log = log
        self._log_file = log.open("ab")
        # E2E_BOT_COMMAND runs the bot another way, e.g. from the Docker image: tests/in_image.sh
        command = shlex.split(os.environ.get("E2E_BOT_COMMAND", "")) or [sys.executable, "-m", "bot"]
        self.proc = subprocess.Popen([*command, "run", *args], cwd=ROOT, env=env,
                                     stdout=self._log_file, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self, timeout: float = 60.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        finally:
            self._log_file.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._log_file.close()


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    # Privacy mode off: every group message reaches the bot, so the bot's own filtering is what is tested.
    with BotApiEmulator(token=TOKEN, bot_username=BOT_NAME, privacy_mode=False) as emulator:
        yield emulator


def start_bot(emu: BotApiEmulator, seeds: Path, db: Path, log: Path) -> BotProcess:
    """Start the bot and wait until it has published its menus and polls for updates."""
    menus, polls = len(emu.calls("setMyCommands")), len(emu.calls("getUpdates"))
    bot = BotProcess(emu, seeds, db, log)
    try:
        emu.wait_for(lambda c: c.method == "setMyCommands" and len(emu.calls("setMyCommands")) > menus,
                     START_TIMEOUT, what="calls")
        emu.wait_for(lambda c: c.method == "getUpdates" and len(emu.calls("getUpdates")) > polls,
                     START_TIMEOUT, what="calls")
    except AssertionError:
        bot.kill()
        raise AssertionError(f"the bot did not start:\n{bot.output()}") from None
    return bot


def answer_to(emu: BotApiEmulator, question: dict[str, Any], timeout: float = STEP_TIMEOUT) -> dict[str, Any]:
    """The bot's next message in the question's chat (message ids grow per chat)."""
    chat_id, after = question["chat"]["id"], question["message_id"]
    return emu.wait_for(lambda m: m["chat"]["id"] == chat_id and m["message_id"] > after
                        and m["from"]["is_bot"], timeout, what="sent")


def data(message: dict[str, Any], prefix: str) -> str:
    return next(b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row
                if b.get("callback_data", "").startswith(prefix))


def cites(answer: Any, text: str) -> bool:
    return answer.answered and all(answer.where(i) in text and answer.best_claim(i).source in text
                                   for i in answer.items)


def test_bot_process_end_to_end(emu: BotApiEmulator, seeds_copy: Path, tmp_path: Path) -> None:
    engine = ReportService(seeds_copy)       # what the bot should say, from the same seeds
    db = tmp_path / "data" / "bot.sqlite3"
    bot = start_bot(emu, seeds_copy, db, tmp_path / "bot.log")
    try:
        # Command menus: public for everyone, admin commands for the admin.
        public = {c["command"] for c in emu.get_commands()}
        admin_menu = {c["command"] for c in emu.get_commands({"type": "chat", "chat_id": ADMIN})}
        assert "ask" in public and "reload" not in public and {"reload", "stats"} <= admin_menu

        alice, bob = emu.user(1001, "Alice", "alice"), emu.user(1002, "Bob")
        admin = emu.user(ADMIN, "Editor")
        alice_chat = emu.private_chat(alice)

        # A private question.
        asked = emu.send_text(alice_chat, alice, "售价多少")
        reply = answer_to(emu, asked)
        expected, state = engine.respond(None, "售价多少")
        assert cites(expected, reply["text"]), reply["text"]
        assert any(b["text"] == "👍" for row in reply["reply_markup"]["inline_keyboard"] for b in row)

        # Buttons: 👍 is stored and acknowledged, 原文 shows the paragraph.
        vote = emu.press_button(reply, data(reply, "v:"), alice)
        emu.wait_for(lambda c: c.method == "answerCallbackQuery" and c.params["callback_query_id"] == vote,
                     STEP_TIMEOUT, what="calls")
        assert "谢谢" in emu.callback_answers[vote]["text"]
        emu.press_button(reply, data(reply, "s:"), alice)
        item = expected.items[0]
        paragraph = engine.index.paragraph(item.paragraph, item.document_id)
        original = emu.wait_for(lambda m: m["chat"]["id"] == alice["id"] and m.get("reply_to_message", {})
                                .get("message_id") == reply["message_id"], STEP_TIMEOUT, what="sent")
        assert all(c.text in original["text"] for c in paragraph.claims)

        # An edited question gets its answer edited.
        edited_question = emu.edit_text(asked, "工厂在哪里")
        expected_edit, session = engine.respond(state, edited_question["text"])
        emu.wait_for(lambda m: m["chat"]["id"] == alice["id"] and m["message_id"] == reply["message_id"]
                     and "edit_date" in m, STEP_TIMEOUT, what="sent")
        assert cites(expected_edit, emu.sent(alice["id"])[0]["text"])

        # Groups: ignored unless addressed; a mention, a reply to the bot, /ask@BotName.
        group = emu.group(-1001234, "读报群")
        ignored = emu.send_text(group, bob, "今天天气不错，售价多少")
        mentioned = emu.send_text(group, bob, f"@{BOT_NAME.lower()} 工厂在哪里")
        group_answer = answer_to(emu, mentioned)
        assert group_answer["reply_to_message"]["message_id"] == mentioned["message_id"]
        assert cites(engine.respond(None, "工厂在哪里")[0], group_answer["text"])
        followed = emu.send_text(group, alice, "售价多少", reply_to=group_answer)
        assert answer_to(emu, followed)["reply_to_message"]["message_id"] == followed["message_id"]
        command = emu.send_text(group, bob, f"/ask@{BOT_NAME} 产能多少")
        assert answer_to(emu, command)["reply_to_message"]["message_id"] == command["message_id"]
        assert not [m for m in emu.sent(group["id"])
                    if m.get("reply_to_message", {}).get("message_id") == ignored["message_id"]]

        # A forum topic: the answer goes to the same topic.
        forum = emu.group(-1005678, "论坛", is_forum=True)
        in_topic = emu.send_text(forum, bob, f"@{BOT_NAME} 售价多少", message_thread_id=77)
        assert answer_to(emu, in_topic).get("message_thread_id") == 77

        # Inline mode.
        inline_id = emu.inline_query(bob, "售价多少")
        emu.wait_for(lambda c: c.method == "answerInlineQuery" and c.params["inline_query_id"] == inline_id,
                     STEP_TIMEOUT, what="calls")
        assert emu.inline_answers[inline_id]["results"]

        # /reload by someone else, then by the admin.
        refused = emu.send_text(alice_chat, alice, "/reload")
        assert "管理员" in answer_to(emu, refused)["text"]
        admin_chat = emu.private_chat(admin)
        reload_ok = emu.send_text(admin_chat, admin, "/reload")
        text = answer_to(emu, reload_ok)["text"]
        assert "已重新载入" in text and f"{len(engine.index.paragraphs)} 段" in text

        # A broken seeds directory: the admin sees the file, questions are still answered.
        broken = seeds_copy / "zz-broken.md"
        broken.write_bytes(b"---\ntitle: \xff\xfe broken\n")
        reload_bad = emu.send_text(admin_chat, admin, "/reload")
        text = answer_to(emu, reload_bad)["text"]
        assert "失败" in text and "zz-broken.md" in text, text
        still = emu.send_text(alice_chat, alice, "工厂在哪里")
        assert cites(engine.respond(session, "工厂在哪里")[0], answer_to(emu, still)["text"])

        edited_answer = emu.sent(alice["id"])[0]
        more_button = data(edited_answer, "m:")
        status = bot.stop()
        assert status == 0, bot.output()
    finally:
        bot.kill()

    # Everything answered is in the query log after SIGTERM.
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT chat_type, question, answered, paragraphs, latency_ms FROM queries"
                            " WHERE via != 'inline' ORDER BY id").fetchall()
        actions = conn.execute("SELECT command, allowed, detail FROM admin_actions ORDER BY id").fetchall()
    questions = [row[1] for row in rows]
    assert questions == ["售价多少", "工厂在哪里", "工厂在哪里", "售价多少", "产能多少", "售价多少", "工厂在哪里"]
    assert "今天天气不错，售价多少" not in questions
    assert [row[0] for row in rows][2:5] == ["supergroup"] * 3
    assert all(row[4] is not None for row in rows)
    assert [(a[0], a[1]) for a in actions] == [("reload", 0), ("reload", 1), ("reload", 1)]
    assert "zz-broken.md" in actions[2][2]

    # A button from before the restart still works.
    broken.unlink()
    bot = start_bot(emu, seeds_copy, db, tmp_path / "bot2.log")
    try:
        press = emu.press_button(edited_answer, more_button, alice)
        emu.wait_for(lambda c: c.method == "answerCallbackQuery" and c.params["callback_query_id"] == press,
                     STEP_TIMEOUT, what="calls")
        second, _ = engine.respond(session, "更多")      # the state stored with the edited answer
        if second.answered:
            more = emu.wait_for(lambda m: m["chat"]["id"] == alice["id"] and m.get("reply_to_message", {})
                                .get("message_id") == reply["message_id"] and "第" in m["text"]
                                and m["message_id"] != original["message_id"], STEP_TIMEOUT, what="sent")
            assert cites(second, more["text"])
        else:
            assert "没有更多" in (emu.callback_answers[press]["text"] or "")
        assert bot.stop() == 0, bot.output()
    finally:
        bot.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, timeout: float) -> None:
    """Wait for the bot's webhook server (it starts listening only after setWebhook)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(f"nothing listens on port {port} after {timeout}s") from None
            threading.Event().wait(0.05)     # back off between connection attempts


def test_webhook_mode(emu: BotApiEmulator, seeds_copy: Path, tmp_path: Path) -> None:
    port = free_port()
    url = "https://bot.example.org:8443/telegram-hook"
    bot = BotProcess(emu, seeds_copy, tmp_path / "bot.sqlite3", tmp_path / "bot.log",
                     ["--webhook-url", url, "--port", str(port)])
    try:
        try:
            emu.wait_for(lambda c: c.method == "setWebhook", START_TIMEOUT, what="calls")
        except AssertionError:
            raise AssertionError(f"the bot did not set its webhook:\n{bot.output()}") from None
        assert emu.webhook["url"] == url and emu.webhook["secret_token"]
        wait_until_listening(port, START_TIMEOUT)
        alice = emu.user(1001, "Alice")
        chat = emu.private_chat(alice)
        update = {"update_id": 1, "message": {"message_id": 1, "date": 1_700_000_000, "chat": chat,
                                              "from": alice, "text": "售价多少"}}

        def post(secret: str) -> int:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/telegram-hook", data=json.dumps(update).encode(), method="POST",
                headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret})
            try:
                with urllib.request.urlopen(request, timeout=STEP_TIMEOUT) as response:
                    return response.status
            except urllib.error.HTTPError as exc:
                return exc.code

        assert post("wrong-secret") == 403                 # only Telegram knows the secret
        assert post(emu.webhook["secret_token"]) == 200
        reply = emu.wait_for(lambda m: m["chat"]["id"] == alice["id"], STEP_TIMEOUT, what="sent")
        expected, _ = ReportService(seeds_copy).respond(None, "售价多少")
        assert cites(expected, reply["text"])
        assert bot.stop() == 0, bot.output()
    finally:
        bot.kill()


ORIGINAL = ROOT / "tests" / "data" / "original" / "000_3cba2885773c93fc.txt"


def test_an_admin_adds_asks_about_lists_and_removes_a_report_from_a_phone(
        emu: BotApiEmulator, tmp_path: Path) -> None:
    """The user's own .txt, exactly as given, through documents, getFile and the file download path."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copytree(ROOT / "seeds" / "rules", seeds / "rules")
    shutil.copy(ROOT / "tests" / "data" / "reports" / "lanzhou-taxi-fare-rumor-2010" / "report.md",
                seeds / "lanzhou.md")
    bot = start_bot(emu, seeds, tmp_path / "data" / "bot.sqlite3", tmp_path / "bot.log")
    admin, stranger = emu.user(ADMIN, "Editor"), emu.user(7007, "Stranger")
    chat = emu.private_chat(admin)
    try:
        sent = emu.send_document(chat, admin, ORIGINAL.name, ORIGINAL.read_bytes())
        preview = answer_to(emu, sent)
        assert "报道预览" in preview["text"] and "小米汽车" in preview["text"], preview["text"]
        assert emu.calls("getFile") and emu.calls("download")
        emu.press_button(preview, next(b["callback_data"] for row in preview["reply_markup"]["inline_keyboard"]
                                       for b in row if b["text"] == "保存"), admin)
        emu.wait_for(lambda m: m["message_id"] == preview["message_id"] and "已保存" in m["text"],
                     START_TIMEOUT, what="sent")
        asked = emu.send_text(chat, admin, "小米汽车工厂年产能多少")
        assert "15万辆" in answer_to(emu, asked)["text"]

        listed = answer_to(emu, emu.send_text(chat, admin, "/reports"))
        assert "内置" in listed["text"] and f"由 {ADMIN}" in listed["text"]
        duplicate = answer_to(emu, emu.send_document(chat, admin, "again.txt", ORIGINAL.read_bytes()))
        assert "重复" in duplicate["text"]
        broken = answer_to(emu, emu.send_document(chat, admin, "broken.txt", b"\x00\x01 not text"))
        assert "不能添加" in broken["text"]
        refused = answer_to(emu, emu.send_document(emu.private_chat(stranger), stranger, "x.txt", b"# t"))
        assert "只有管理员" in refused["text"]

        confirm = answer_to(emu, emu.send_text(chat, admin, "/remove 2"))
        emu.press_button(confirm, confirm["reply_markup"]["inline_keyboard"][0][0]["callback_data"], admin)
        emu.wait_for(lambda m: m["message_id"] == confirm["message_id"] and "已删除" in m["text"],
                     START_TIMEOUT, what="sent")
        assert bot.stop() == 0, bot.output()
    finally:
        bot.kill()
    assert not list((tmp_path / "data" / "library").glob("*.txt"))
