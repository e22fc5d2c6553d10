"""Replies retried until Telegram takes them (bot.delivery), with a fake clock: no test waits for real."""

from __future__ import annotations

from typing import Any

import pytest
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot import delivery


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.pauses: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr(delivery.time, "monotonic", fake.monotonic)
    monkeypatch.setattr(delivery.asyncio, "sleep", fake.sleep)
    return fake


def failing(*errors: Exception) -> Any:
    """A send that raises the errors in turn, then succeeds; ``calls`` counts the attempts."""
    pending = list(errors)

    async def send() -> str:
        send.calls += 1  # type: ignore[attr-defined]
        if pending:
            raise pending.pop(0)
        return "sent"
    send.calls = 0  # type: ignore[attr-defined]
    return send


async def test_network_errors_timeouts_and_5xx_are_retried_with_growing_waits(clock: FakeTime) -> None:
    send = failing(NetworkError("Bad Gateway (502)"), TimedOut(), NetworkError("Service Unavailable (503)"),
                   TelegramError("Invalid server response"))           # a proxy's HTML page, not JSON
    assert await delivery.deliver(send) == "sent"
    assert send.calls == 5
    assert clock.pauses == [delivery.FIRST_WAIT, 2 * delivery.FIRST_WAIT, 4 * delivery.FIRST_WAIT,
                            8 * delivery.FIRST_WAIT]


async def test_flood_control_waits_as_long_as_telegram_says(clock: FakeTime) -> None:
    send = failing(RetryAfter(7), RetryAfter(3))
    assert await delivery.deliver(send) == "sent"
    assert clock.pauses == [7.0, 3.0]


@pytest.mark.parametrize("error", [BadRequest("Bad Request: message text is empty"), Forbidden("blocked"),
                                   Conflict("terminated by other getUpdates request")])
async def test_what_retrying_cannot_fix_is_raised_at_once(clock: FakeTime, error: Exception) -> None:
    send = failing(error)
    with pytest.raises(type(error)):
        await delivery.deliver(send)
    assert send.calls == 1 and clock.pauses == []


async def test_it_gives_up_after_the_bounded_time(clock: FakeTime) -> None:
    send = failing(*[NetworkError("Bad Gateway (502)")] * 1000)
    with pytest.raises(delivery.GaveUp) as gave_up:
        await delivery.deliver(send)
    assert isinstance(gave_up.value.__cause__, NetworkError)
    assert clock.now <= delivery.GIVE_UP_AFTER
    assert max(clock.pauses) == delivery.MAX_WAIT
    assert 10 < send.calls < 40
