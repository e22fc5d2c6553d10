"""Per-user question limit: at most N questions in any 60-second window.

In memory on purpose: a restart forgives everyone, and Telegram's own flood
limits are handled separately by ``AIORateLimiter``.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0


class UserRateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._seen: dict[int, deque[float]] = {}
        self._warned: set[int] = set()

    def hit(self, user_id: int) -> float:
        """Count one question; 0.0 if allowed, otherwise seconds until the next one is."""
        now = self._clock()
        times = self._seen.setdefault(user_id, deque())
        while times and now - times[0] >= WINDOW_SECONDS:
            times.popleft()
        if len(times) >= self.per_minute:
            return max(WINDOW_SECONDS - (now - times[0]), 0.1)
        times.append(now)
        self._warned.discard(user_id)
        if len(self._seen) > 10_000:   # forget idle users so memory stays bounded
            self._seen = {u: t for u, t in self._seen.items() if t and now - t[-1] < WINDOW_SECONDS}
        return 0.0

    def should_warn(self, user_id: int) -> bool:
        """True once per limited stretch, so a flooding user gets one polite note, not one per message."""
        if user_id in self._warned:
            return False
        self._warned.add(user_id)
        return True
