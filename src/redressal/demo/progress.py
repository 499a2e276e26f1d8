"""Progress of ``seed-demo``, phase by phase: rich bars on a terminal, plain lines anywhere else.

A full demo takes minutes. On a terminal each phase gets a bar; piped into a log (CI, a container, ``tee``)
each phase prints a line when it starts, one per tenth of its work, and one when it ends, flushed at
once so the log shows where the seed is.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class PhaseLines:
    """``seed``'s ``phase`` hook writing one line per step of a phase through ``write``."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write
        self.current: tuple[str, int, float] | None = None  # name, total, started
        self.done = 0
        self.shown = 0

    def __call__(self, name: str, total: int) -> Callable[[int], None]:
        self.finish()
        self.current, self.done, self.shown = (name, total, time.monotonic()), 0, 0
        self.write(f"{name}: {total} to do" if total else f"{name}…")

        def advance(n: int) -> None:
            self.done += n
            tenth = self.done * 10 // total if total else 0
            if 0 < tenth < 10 and tenth > self.shown:
                self.shown = tenth
                self.write(f"{name}: {self.done}/{total}")

        return advance

    def finish(self) -> None:
        """End the running phase, if any, with its count and time."""
        if self.current is None:
            return
        name, total, started = self.current
        count = f"{self.done}/{total}" if total else str(self.done)
        self.write(f"{name}: {count} done in {time.monotonic() - started:.1f}s")
        self.current = None


class PhaseBars:
    """The same hook as rich progress bars, for a terminal."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
        )

    def __call__(self, name: str, total: int) -> Callable[[int], None]:
        task = self.progress.add_task(name, total=total or None)

        def advance(n: int) -> None:
            self.progress.advance(task, n)

        return advance

    def __enter__(self) -> PhaseBars:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()
