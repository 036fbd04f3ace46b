"""The check of the sample stream the SystemC DMA sent (attachment train_dma): the
SampleMonitor's report (tb/systemc/sample_monitor.h) against the reference.

The monitor compares every word the engine took with the data file in the TlmMemory and
names the first differing word of a beat; this check adds the reference's side: every
step run has exactly its batch, with the checksum of the reference's batch
(tb/train/dma_data.py), and no step more than were run."""

from __future__ import annotations

import re
from pathlib import Path

from ref_model import rtl_twin as T
from tb.systemc.attachments import DMA_REPORT
from tb.train import dma_data

STEP = re.compile(r"step (\d+) samples (\d+) checksum (\d+)")


class StreamCheck:
    def __init__(self, twin: T.Twin, report: Path = Path(DMA_REPORT)):
        self.twin, self.report = twin, report

    def _lines(self) -> list[str]:
        return self.report.read_text().splitlines() if self.report.exists() else []

    def _steps(self) -> list[tuple[int, int, int]]:
        """(step, samples, checksum) of every step the monitor saw complete."""
        return [tuple(int(g) for g in m.groups())
                for m in map(STEP.fullmatch, self._lines()) if m]

    def received(self) -> int:
        """Beats the engine took in completed steps."""
        return sum(n for _, n, _ in self._steps())

    def check(self, steps: int) -> None:
        """The first problem of a run of `steps` steps (0..steps-1), as an AssertionError."""
        mismatch = next((line for line in self._lines() if line.startswith("mismatch")), None)
        assert mismatch is None, f"DMA stream: {mismatch}"
        seen = self._steps()
        assert [t for t, _, _ in seen] == list(range(steps)), (
            f"DMA stream: the engine took the batches of steps {[t for t, _, _ in seen]}, "
            f"expected steps 0..{steps - 1}")
        for t, n, checksum in seen:
            pixels, labels = self.twin.samples(t)
            want = dma_data.step_checksum(pixels, labels)
            assert n == labels.size and checksum == want, (
                f"DMA stream: step {t}: {n} samples, checksum {checksum}; the reference "
                f"batch has {labels.size}, checksum {want}")
