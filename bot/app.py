"""The Telegram application: every handler wired in one place, and how it runs.

``build_application`` follows python-telegram-bot's examples: ``Defaults`` with
HTML parse mode, ``AIORateLimiter`` for Telegram's flood limits (429 retried,
not dropped), one error handler.  Its update queue keeps every update in the
store before Telegram is told it arrived (bot.inbox).  ``run`` does long polling (or a webhook),
opens the store in ``post_init`` and closes it in ``post_shutdown``; SIGTERM
stops polling, lets running handlers finish, then closes the database.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from urllib.parse import urlsplit

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import button_handlers as bh
from bot import handlers as h
from bot import library_handlers as lh
from bot.config import Config
from bot.inbox import InboxQueue, replay_owed
from bot.library import Library
from bot.ratelimit import UserRateLimiter
from bot.service import ReportService
from bot.storage import StorageError, Store
from index import CorpusError
from index.cache import AnalysisCache

logger = logging.getLogger(__name__)

PUBLIC_COMMANDS = [
    BotCommand("start", "简介和示例问题"),
    BotCommand("help", "怎么提问"),
    BotCommand("ask", "提问：/ask 问题"),
    BotCommand("source", "看某一段原文：/source 段号"),
]
ADMIN_COMMANDS = [
    *PUBLIC_COMMANDS,
    BotCommand("reload", "重新载入报道（管理员）"),
    BotCommand("stats", "使用统计（管理员）"),
    BotCommand("add", "添加报道：/add 全文，或直接发 .md/.txt 文件（管理员）"),
    BotCommand("reports", "已载入的报道（管理员）"),
    BotCommand("remove", "删除报道：/remove 序号（管理员）"),
]
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]


def file_url(base_url: str) -> str:
    """python-telegram-bot's base_file_url for a self-hosted API (…/bot -> …/file/bot)."""
    return base_url[:-len("/bot")] + "/file/bot" if base_url.endswith("/bot") else base_url


def build_application(config: Config, service: ReportService, store: Store, *,
                      request: BaseRequest | None = None, rate_limiter: bool = True) -> Application:
    """The whole bot: handlers, defaults, rate limiter, error handler.  ``request`` replaces the
    HTTP transport (tests, the load benchmark); ``rate_limiter=False`` leaves out Telegram's
    flood limits (the benchmark measures the bot, not Telegram)."""
    builder = (ApplicationBuilder().token(config.token).update_queue(InboxQueue(store))
               .defaults(Defaults(parse_mode=ParseMode.HTML, allow_sending_without_reply=True,
                                  link_preview_options=LinkPreviewOptions(is_disabled=True)))
               .concurrent_updates(True)     # chats run concurrently; handlers serialise per chat session
               .post_init(post_init).post_shutdown(post_shutdown))
    if config.api_base_url:
        builder = builder.base_url(config.api_base_url).base_file_url(file_url(config.api_base_url))
    if rate_limiter:
        # (python-telegram-bot's stubs type the limiter's per-request argument as None; AIORateLimiter's is a dict.)
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    app = builder.build()
    commands = {**h.COMMANDS, **lh.COMMANDS}
    app.bot_data["deps"] = h.Deps(config=config, service=service, store=store,
                                  limiter=UserRateLimiter(config.rate_limit), commands=commands)

    message = filters.UpdateType.MESSAGE      # edits have their own handler
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    app.add_handlers([
        *(CommandHandler(name, callback, filters=message) for name, callback in commands.items()),
        MessageHandler(message & filters.TEXT & ~filters.COMMAND & filters.Regex(r"^/[A-Za-z0-9_]"),
                       h.command_without_entity),
        MessageHandler(message & private & filters.TEXT & ~filters.COMMAND, h.private_question),
        MessageHandler(message & groups & filters.TEXT & ~filters.COMMAND, h.group_message),
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT & (private | groups), h.edited_question),
        MessageHandler(message & (private | groups) & filters.COMMAND, h.unknown_command),
        MessageHandler(message & private & filters.Document.ALL, lh.document_message),
        MessageHandler(message & private & ~filters.TEXT & ~filters.StatusUpdate.ALL, h.not_text),
        CallbackQueryHandler(bh.more_button, pattern=r"^m:"),
        CallbackQueryHandler(bh.source_button, pattern=r"^s:"),
        CallbackQueryHandler(bh.vote_button, pattern=r"^v:"),
        CallbackQueryHandler(bh.example_button, pattern=r"^x:"),
        CallbackQueryHandler(lh.keep_button, pattern=r"^k:"),
        CallbackQueryHandler(lh.cancel_button, pattern=r"^c:"),
        CallbackQueryHandler(lh.remove_button, pattern=r"^r:"),
        CallbackQueryHandler(bh.unknown_button),
        InlineQueryHandler(bh.inline_query),
    ])
    app.add_handler(TypeHandler(Update, h.settle_update), group=1)    # after every handler of group 0
    app.add_error_handler(h.on_error)
    return app


async def post_init(app: Application) -> None:
    """Open the store and publish the command menus: public for everyone, admin commands per admin."""
    deps: h.Deps = app.bot_data["deps"]
    await deps.store.open()
    await replay_owed(app, deps.store, deps.replayed)
    try:
        await app.bot.set_my_commands(PUBLIC_COMMANDS, scope=BotCommandScopeDefault())
    except TelegramError as exc:
        # The menu is a convenience; a server that refuses it must not keep the bot from answering.
        logger.warning("public command menu not set: %s", exc)
    for admin_id in sorted(deps.config.admin_ids):
        try:
            await app.bot.set_my_commands(ADMIN_COMMANDS, scope=BotCommandScopeChat(admin_id))
        except TelegramError as exc:
            # Telegram refuses a chat scope until that admin has opened a chat with the bot.
            logger.warning("admin menu for %s not set (has the admin started the bot?): %s", admin_id, exc)
    logger.info("bot @%s ready: %d documents, %d paragraphs", app.bot.username,
                len(deps.service.index.documents), len(deps.service.index.paragraphs))


async def post_shutdown(app: Application) -> None:
    await app.bot_data["deps"].store.close()
    logger.info("store closed")


class _QuietInvalidToken(logging.Filter):
    """A rejected token is reported in one line by ``run``; drop the library's traceback (it shows the token)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], InvalidToken):
            record.exc_info, record.exc_text = None, None
        return True


def _secret(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def run(config: Config, webhook_url: str | None = None, port: int = 8443) -> int:
    """Run the bot until SIGINT/SIGTERM; returns the exit status."""
    logging.basicConfig(level=config.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)   # its request lines contain the token
    logging.getLogger("telegram.ext").addFilter(_QuietInvalidToken())
    try:
        config.library_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"error: BOT_LIBRARY_DIR {str(config.library_dir)!r} cannot be created: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    try:
        service = ReportService(config.seeds_dir, library=Library(config.seeds_dir, config.library_dir),
                                cache=AnalysisCache(config.cache_dir) if config.cache_dir else None)
    except CorpusError as exc:
        print(f"error: cannot load the reports (BOT_SEEDS_DIR, BOT_LIBRARY_DIR): {exc}", file=sys.stderr)
        return 2
    app = build_application(config, service, Store(config.db_path))
    try:
        if webhook_url:
            app.run_webhook(listen="0.0.0.0", port=port, url_path=urlsplit(webhook_url).path.lstrip("/"),
                            webhook_url=webhook_url, secret_token=_secret(config.token),
                            allowed_updates=ALLOWED_UPDATES, bootstrap_retries=3)
        else:
            app.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=3)
    except InvalidToken:
        print("error: TELEGRAM_BOT_TOKEN was rejected by the Bot API server", file=sys.stderr)
        return 2
    except StorageError as exc:
        print(f"error: BOT_DB_PATH: {exc}", file=sys.stderr)
        return 2
    except NetworkError as exc:
        print(f"error: cannot reach the Bot API server: {exc}", file=sys.stderr)
        return 1
    return 0
