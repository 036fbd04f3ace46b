"""`pezo train --rtl --native`: ZO training on the native SystemC harness, no Python in the
simulation (attachment train_native: clock, register host, DMA, memory, sample monitor and
step recorder around the Verilated engine, tb/systemc/).

Python builds the harness once per configuration (tb.harness, verilator-sc), writes the
DMA's data file and the host program from the reference, runs the executable, then checks
the monitor's stream report (every beat, tb/train/stream_check.py) and the step trace
(every step bit for bit and the final weights, tb/train/trace_check.py)."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

from ref_model import rtl_twin as T
from ref_model.errors import ConfigError
from tb import harness
from tb.common.clocking import CLOCK_PERIOD_NS
from tb.systemc.attachments import DMA_DATA, DMA_REPORT
from tb.train import dma_data, host_program, trace_check
from tb.train.specs import BENCH
from tb.train.stream_check import StreamCheck

NATIVE = "train_native"
PROGRAM, TRACE = "host_program.txt", "trace.txt"
SIMULATED = re.compile(r"pezo_sc: (\d+) ps simulated")  # tb/systemc/native.h


def executable(params: dict[str, int]) -> Path:
    """The native harness of this configuration (built once, cached like any build)."""
    spec = harness.TestSpec(BENCH, "native", "native", tuple(sorted(params.items())),
                            attachment=NATIVE)
    return harness.build(spec, "verilator-sc") / BENCH.toplevel


def quiet_env() -> dict[str, str]:
    """The environment without SystemC's banner (on stderr): a bad input's line stays alone."""
    return {**os.environ, "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE": "1"}


def run_executable(exe: Path, out_dir: Path, timeout_s: float) -> tuple[float, int]:
    """Run the harness in out_dir: its wall time and simulated clocks. A bad input is its
    one line (exit status 2)."""
    start = time.monotonic()
    proc = subprocess.run([str(exe), PROGRAM, TRACE], cwd=out_dir, capture_output=True,
                          text=True, timeout=timeout_s, env=quiet_env())
    wall = time.monotonic() - start
    (out_dir / "sim.log").write_text(proc.stdout + proc.stderr)
    if proc.returncode == 2:
        raise ConfigError(proc.stderr.strip().splitlines()[-1].removeprefix(
            harness.SYSTEMC_ERROR).strip())
    if proc.returncode != 0:
        raise RuntimeError(f"native harness exited with {proc.returncode}: "
                           f"{(proc.stderr or proc.stdout).strip()[-500:]}")
    simulated = SIMULATED.search(proc.stdout)
    return wall, int(simulated.group(1)) // (1000 * CLOCK_PERIOD_NS) if simulated else 0


def run(params: dict[str, int], seed: int, steps: int, batch: int, eps: float, lr: float,
        out_dir: Path) -> dict:
    """One seed on the native harness: build, run, check; what `pezo train` reports."""
    exe = executable(params)
    twin = T.Twin(params, seed, steps, batch=batch, eps=eps, lr=lr)
    dma_data.write(out_dir / DMA_DATA, twin)
    host_program.write(out_dir / PROGRAM, twin, steps)
    wall, cycles = run_executable(exe, out_dir, timeout_s=max(600.0, steps * 2.0))
    try:
        StreamCheck(twin, out_dir / DMA_REPORT).check(steps)
        stream_problem = None
    except AssertionError as exc:
        stream_problem = str(exc)
    trace = trace_check.check(twin, out_dir / TRACE)
    problem = stream_problem or trace.mismatch
    loss_scale = 2.0 ** -twin.shifts.loss_frac
    return {"status": "fail" if problem or trace.steps != steps else "pass",
            "message": problem or "", "bit_exact": problem is None and trace.steps == steps,
            "steps_checked": trace.steps, "theta": [int(v) for v in trace.theta],
            "curve": [(t, (lp + lm) / 2 * loss_scale) for t, lp, lm in _losses(out_dir / TRACE)],
            "sim_cycles": cycles, "wall_s": round(wall, 2), "simulator": "native SystemC",
            "steps_per_s": round(steps / wall, 2), "step_cycles": None, "log": str(out_dir)}


def _losses(trace: Path) -> list[tuple[int, int, int]]:
    """(step, loss+, loss-) of every step line."""
    out = []
    for line in trace.read_text().splitlines():
        m = trace_check.STEP.fullmatch(line)
        if m:
            out.append((int(m.group(1)), int(m.group(2)), int(m.group(3))))
    return out
