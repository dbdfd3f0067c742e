"""One deadline for every phase of a solve; the clock can be replaced in tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]


@dataclass
class Deadline:
    """The moment a solve must be done, on ``clock`` (seconds, monotonic)."""

    at: float
    clock: Clock = time.perf_counter
    started: float = field(default=0.0)

    @classmethod
    def after(cls, seconds: float, clock: Clock | None = None) -> Deadline:
        clock = clock or time.perf_counter
        now = clock()
        return cls(now + max(0.0, seconds), clock, now)

    def left(self) -> float:
        return max(0.0, self.at - self.clock())

    def passed(self) -> bool:
        return self.clock() >= self.at

    def elapsed(self) -> float:
        return self.clock() - self.started

    def share(self, fraction: float, *, keep: float = 0.0) -> float:
        """Seconds for a phase: ``fraction`` of what is left after keeping ``keep`` back."""
        return max(0.0, (self.left() - keep) * fraction)
