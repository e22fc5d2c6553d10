"""An answer is owed until it is sent: every update is kept in the store before Telegram is told it arrived.

python-telegram-bot's polling loop puts each update of a batch into the
application's update queue and only then asks for the next batch with a higher
offset, which is what tells Telegram the batch arrived; its webhook server
likewise puts the update into the queue before answering Telegram's POST.  So
the queue is where an update becomes the bot's responsibility: ``InboxQueue``
writes it to the store's inbox (one committed row) before queueing it.  The
update is settled when an answer's own transaction records it, or after every
handler (``handlers.settle_update``).

On start (``replay_owed``), updates the last run took but never settled, because
it was killed, are handled again: messages and edits received within
REPLAY_WINDOW, with the reply quoting the question; anything older, and button
presses and inline queries (Telegram no longer accepts answers to those), are
settled with a log line.  An update Telegram hands over again (the last run died
before confirming it) is queued once: not when it was settled, not twice when it
is replayed.

What remains: a kill after Telegram took a reply and before its transaction
commits (well under a millisecond) sends that answer again on restart; the Bot
API offers no way to ask whether a message was sent.
"""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import Update
from telegram.ext import Application

from bot.storage import Store

logger = logging.getLogger(__name__)

# Questions older than this when the bot comes back are not answered any more (the asker has moved on).
REPLAY_WINDOW = 10 * 60.0


class InboxQueue(asyncio.Queue):  # type: ignore[type-arg]
    """The application's update queue, keeping each update in the store before it is queued."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.queued: set[int] = set()      # updates queued by this process, until settled

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            if item.update_id in self.queued:
                return
            if not await self.store.receive(item.update_id, item.to_dict()):
                logger.info("update %s was handled before; not again", item.update_id)
                return
            self.queued.add(item.update_id)
        await super().put(item)

    def settled(self, update_id: int) -> None:
        self.queued.discard(update_id)


async def replay_owed(app: Application, store: Store, replayed: set[int], now: float | None = None) -> int:
    """Queue again what the last run took and never settled (see the module); returns how many."""
    now = time.time() if now is None else now
    count = dropped = 0
    for owed in await store.owed():
        update = Update.de_json(owed.body, app.bot)
        message = update.message or update.edited_message
        if message is None or now - owed.received > REPLAY_WINDOW:
            await store.settle(owed.update_id)
            dropped += 1
            continue
        replayed.add(owed.update_id)
        await app.update_queue.put(update)
        count += 1
    if count or dropped:
        logger.warning("the last run stopped with %d update(s) unsettled: %d handled again now, %d too old or "
                       "not answerable any more (left)", count + dropped, count, dropped)
    return count
