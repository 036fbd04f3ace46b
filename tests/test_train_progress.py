"""The progress of `pezo train --rtl` (regress/train_progress.py): on a terminal one live bar
per seed (steps done, loss, mismatches so far, time left), elsewhere a plain line per seed at
most every 30 s; a tail thread reads the scoreboard's progress file or the native trace."""

import io
import json
import time

import pytest
from rich.console import Console

from regress import cli, train_progress
from regress.train_progress import SeedProgress


def _terminal() -> tuple[io.StringIO, Console]:
    out = io.StringIO()
    return out, Console(file=out, force_terminal=True, width=120, color_system=None)


def test_plain_lines_at_most_every_interval_with_rate_and_time_left():
    now = [0.0]
    lines = []
    plain = train_progress.PlainTrainProgress(100, every_s=30.0, clock=lambda: now[0],
                                              out=lambda text, flush: lines.append(text))
    plain.update(3, SeedProgress(10, 0.5, 0))
    now[0] = 10.0
    plain.update(3, SeedProgress(20, 0.4, 0))   # within the interval: no line
    now[0] = 40.0
    plain.update(3, SeedProgress(50, 0.3, 2))
    assert lines == ["  seed 3: step 10/100 loss 0.5000",
                     "  seed 3: step 50/100 loss 0.3000 (1 steps/s, 0.8 min left)  MISMATCH"]


def test_live_display_shows_every_seed_its_steps_loss_and_mismatches():
    out, console = _terminal()
    live = train_progress.LiveTrainProgress([0, 7], 100, console)
    live.update(0, SeedProgress(50, 0.1234, 1))
    live.update(7, SeedProgress(100, 0.0625, None))
    live.close()
    text = out.getvalue()
    assert "seed 0" in text and "50/100" in text and "loss 0.1234" in text
    assert "1 mismatch " in text
    assert "seed 7" in text and "100/100" in text and "checked at the end" in text


def test_live_display_on_a_terminal_plain_lines_elsewhere():
    assert isinstance(train_progress.for_stream([0], 10, io.StringIO()),
                      train_progress.PlainTrainProgress)

    class Tty(io.StringIO):
        def isatty(self):
            return True
    live = train_progress.for_stream([0], 10, Tty())
    live.close()
    assert isinstance(live, train_progress.LiveTrainProgress)


class _Recorder:
    def __init__(self):
        self.seen = []

    def update(self, seed, p):
        self.seen.append((seed, p))


def test_tail_follows_the_file_skips_half_lines_and_reads_the_last_one_at_the_end(tmp_path):
    path, display = tmp_path / "progress.txt", _Recorder()
    with train_progress.ProgressTail(display, 4, path, poll_s=0.02):
        path.write_text("10 0.500000 0\n")
        time.sleep(0.2)
        path.write_text("10 0.500000 0\n20 0.25")  # caught mid-write
        time.sleep(0.2)
        path.write_text("10 0.500000 0\n20 0.250000 1\n")
    assert display.seen[0] == (4, SeedProgress(10, 0.5, 0))
    assert display.seen[-1] == (4, SeedProgress(20, 0.25, 1))
    assert len(display.seen) == 2  # an unchanged reading is not repeated


def test_the_native_trace_reads_as_steps_done_and_scaled_loss(tmp_path):
    trace = tmp_path / "trace.txt"
    trace.write_text("step 0 loss_plus 64 loss_minus 32 g_hat -3 wsig 9\n"
                     "step 1 loss_plus 16 loss_minus 48 g_hat 5 wsig 7\n")
    assert train_progress.trace_progress(2.0 ** -4)(trace) == SeedProgress(2, 2.0, None)
    assert train_progress.trace_progress(1.0)(tmp_path / "none.txt") is None


@pytest.mark.sim
def test_a_training_run_on_a_terminal_drives_the_live_display(tmp_path, monkeypatch):
    out, console = _terminal()
    monkeypatch.setattr(train_progress, "for_stream", lambda seeds, steps: (
        train_progress.LiveTrainProgress(seeds, steps, console)))
    rc = cli.main(["train", "--rtl", "--perturb", "uniform", "--reuse", "array", "--hidden", "8",
                   "--batch", "8", "--steps", "20", "--seeds", "1",
                   "--out", str(tmp_path / "run.json")])
    assert rc == 0 and json.loads((tmp_path / "run.json").read_text())["all_bit_exact"]
    text = out.getvalue()
    assert "seed 1" in text and "20/20" in text and "0 mismatches" in text
