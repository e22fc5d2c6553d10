"""Sending that finishes the job: a reply is retried until Telegram takes it, for a bounded time.

Retried: network errors and timeouts, 5xx answers (python-telegram-bot's ``NetworkError``), flood
control (``RetryAfter``, waiting as long as Telegram says; ``AIORateLimiter`` has already retried it a
few times), and a response that is not the Bot API's JSON at all (a proxy's error page: the library's
bare ``TelegramError("Invalid server response")``).  Not retried: what retrying cannot fix
(``BadRequest``: the message is wrong; ``Forbidden``: the bot was blocked or removed).  Waits double
from FIRST_WAIT up to MAX_WAIT; after GIVE_UP_AFTER seconds the last error is raised and the caller
logs the answer as given up.

A timed-out request may have reached Telegram; retrying it can then deliver the reply twice.  Losing an
answer is the worse failure, so timeouts are retried like the rest.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

logger = logging.getLogger(__name__)

GIVE_UP_AFTER = 120.0
FIRST_WAIT = 0.5
MAX_WAIT = 10.0

T = TypeVar("T")


class GaveUp(Exception):
    """Telegram did not take a reply within GIVE_UP_AFTER seconds; ``__cause__`` is the last error."""


def _wait_of(error: RetryAfter) -> float:
    """Seconds Telegram asks to wait (an int today, a timedelta in a future python-telegram-bot)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # the announcement of that change
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def deliver(send: Callable[[], Awaitable[T]], what: str = "reply") -> T:
    """``await send()``, retried as the module says; raises GaveUp when the time is up."""
    deadline = time.monotonic() + GIVE_UP_AFTER
    wait = FIRST_WAIT
    attempt = 0
    error: Exception
    while True:
        attempt += 1
        try:
            return await send()
        except RetryAfter as exc:
            pause, error = _wait_of(exc), exc
        except BadRequest:
            raise
        except NetworkError as exc:          # includes TimedOut and 5xx
            pause, error = wait, exc
            wait = min(wait * 2, MAX_WAIT)
        except TelegramError as exc:
            if type(exc) is not TelegramError:  # Forbidden, Conflict, InvalidToken …: retrying cannot help
                raise
            pause, error = wait, exc            # not the Bot API's JSON: a server in trouble, like a 5xx
            wait = min(wait * 2, MAX_WAIT)
        if time.monotonic() + pause > deadline:
            logger.warning("gave up on a %s after %d attempts: %s", what, attempt, error)
            raise GaveUp(f"gave up on a {what} after {attempt} attempts") from error
        logger.info("%s not sent (%s); retrying in %.1fs", what, error, pause)
        await asyncio.sleep(pause)
