"""The progress of `pezo train --rtl`'s seeds while they train. On a terminal a live display
(rich): one bar per seed with its steps done, the latest loss, the mismatches found so far
and the time left. Off a terminal (CI, a pipe, a file) a plain line per seed every
PLAIN_EVERY_S. A `ProgressTail` thread per seed reads what the run writes as it goes (the
scoreboard's progress file, or the native harness's step trace) and feeds the display."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from tb.train.trace_check import STEP, parse_step

PLAIN_EVERY_S = 30.0
POLL_S = 1.0


@dataclass(frozen=True)
class SeedProgress:
    step: int                # steps done
    loss: float              # the latest step's mean of L+ and L-
    mismatches: int | None   # None: checked only when the run ends (the native harness)


def scoreboard_progress(path: Path) -> SeedProgress | None:
    """The last `step loss mismatches` line of the training scoreboard's progress file."""
    lines = path.read_text().splitlines() if path.exists() else []
    if not lines:
        return None
    step, loss, mismatches = lines[-1].split()
    return SeedProgress(int(step), float(loss), int(mismatches))


def trace_progress(loss_scale: float) -> Callable[[Path], SeedProgress | None]:
    """A reader of the native harness's step trace (one flushed line per step)."""
    def read(path: Path) -> SeedProgress | None:
        lines = [s for s in path.read_text().splitlines() if STEP.fullmatch(s)] \
            if path.exists() else []
        if not lines:
            return None
        last = parse_step(lines[-1])
        return SeedProgress(last.step + 1, (last.loss_plus + last.loss_minus) / 2 * loss_scale,
                            None)
    return read


class PlainTrainProgress:
    """A line per seed at most every `every_s`: step, loss, rate and the time left."""

    def __init__(self, steps: int, every_s: float = PLAIN_EVERY_S, out=print,
                 clock: Callable[[], float] = time.monotonic):
        self.steps, self.every_s, self.out, self.clock = steps, every_s, out, clock
        self._first: dict[int, tuple[float, int]] = {}
        self._last_line: dict[int, float] = {}

    def update(self, seed: int, p: SeedProgress) -> None:
        now = self.clock()
        first = self._first.setdefault(seed, (now, p.step))
        if seed in self._last_line and now - self._last_line[seed] < self.every_s:
            return
        self._last_line[seed] = now
        rate = (p.step - first[1]) / (now - first[0]) if now > first[0] else 0.0
        left = f", {(self.steps - p.step) / rate / 60:.1f} min left" if rate > 0 else ""
        self.out(f"  seed {seed}: step {p.step}/{self.steps} loss {p.loss:.4f}"
                 f"{f' ({rate:.0f} steps/s{left})' if rate > 0 else ''}"
                 f"{'  MISMATCH' if p.mismatches else ''}", flush=True)

    def close(self) -> None:
        pass


class LiveTrainProgress:
    """One rich bar per seed: steps done of the total, loss, mismatches so far, time left."""

    def __init__(self, seeds: list[int], steps: int, console: Console | None = None):
        self.bar = Progress(TextColumn("seed {task.fields[seed]}"), BarColumn(),
                            MofNCompleteColumn(), TextColumn("loss {task.fields[loss]}"),
                            TextColumn("{task.fields[mismatches]}"), TimeRemainingColumn(),
                            console=console or Console(), transient=False)
        self.tasks = {seed: self.bar.add_task(f"seed {seed}", total=steps, seed=seed,
                                              loss="-", mismatches="0 mismatches")
                      for seed in seeds}
        self.bar.start()

    def update(self, seed: int, p: SeedProgress) -> None:
        found = ("checked at the end" if p.mismatches is None
                 else f"{p.mismatches} mismatch{'' if p.mismatches == 1 else 'es'}")
        self.bar.update(self.tasks[seed], completed=p.step, loss=f"{p.loss:.4f}",
                        mismatches=found)

    def close(self) -> None:
        self.bar.stop()


def for_stream(seeds: list[int], steps: int, stream=None):
    """The live display on a terminal, the plain lines elsewhere."""
    stream = stream or sys.stdout
    return LiveTrainProgress(seeds, steps) if stream.isatty() else PlainTrainProgress(steps)


class ProgressTail:
    """Polls one seed's file while it trains and hands every new reading to the display."""

    def __init__(self, display, seed: int, path: Path,
                 read: Callable[[Path], SeedProgress | None] = scoreboard_progress,
                 poll_s: float = POLL_S):
        self.display, self.seed, self.path, self.read = display, seed, Path(path), read
        self._stop = threading.Event()
        self._last: SeedProgress | None = None
        self._thread = threading.Thread(target=self._run, args=(poll_s,), daemon=True)

    def __enter__(self) -> ProgressTail:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._look()  # the last lines written before the run ended

    def _run(self, poll_s: float) -> None:
        while not self._stop.wait(poll_s):
            self._look()

    def _look(self) -> None:
        try:
            p = self.read(self.path)
        except (OSError, ValueError, AssertionError):
            return  # a line caught half-written: the next look reads it whole
        if p is not None and p != self._last:
            self._last = p
            self.display.update(self.seed, p)
