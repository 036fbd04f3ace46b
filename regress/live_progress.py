"""The live display of a long regression on a terminal (rich): a bar of tests done, the
failures so far and the time left, with every failing run's line printed above it. Off a
terminal (CI, a pipe, a file) `pezo regress` prints the plain line of every result instead."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from regress.statuses import FAILED
from tb.harness import Result


class LiveProgress:
    def __init__(self, total: int, title: str, console: Console | None = None):
        self.console = console or Console()
        self.failures = 0
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[failures]} failed"), TimeRemainingColumn(),
                            console=self.console, transient=False)
        self.task = self.bar.add_task(title, total=total, failures=0)
        self.bar.start()

    def line(self, text: str) -> None:
        """Messages of the run (building, interrupted): above the bar."""
        self.console.print(text, markup=False, highlight=False)

    def result(self, result: Result, line: str) -> None:
        if result.status in FAILED:
            self.failures += 1
            self.console.print(line, markup=False, highlight=False)
        self.bar.update(self.task, advance=1, failures=self.failures)

    def close(self) -> None:
        self.bar.stop()


def for_terminal(total: int, title: str, stream=None) -> LiveProgress | None:
    """A live display when the output is a terminal, else None (plain lines)."""
    stream = stream or sys.stdout
    return LiveProgress(total, title) if stream.isatty() else None
