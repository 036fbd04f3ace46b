"""`pezo train --rtl --native`: ZO training on a C++ harness with no Python in the
simulation. Two flows run the same host program and data file and write the same step
trace:

- `native`: the native SystemC harness (attachment train_native on verilator-sc: clock,
  register host, DMA, memory, sample monitor and step recorder around the Verilated model);
- `loop`: the plain C++ Verilator loop (attachment train_loop on verilator: the same host
  program and sample stream clocked by hand, no SystemC), the speed anchor of `make bench`.

Python builds the executable once per configuration (tb.harness), writes the DMA's data
file and the host program from the reference, runs it, then checks the sample monitor's
report (native: every beat, tb/train/stream_check.py) and the step trace (every step bit for
bit and the final weights, tb/train/trace_check.py)."""

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

# flow -> (attachment, simulator, label)
FLOWS = {"native": ("train_native", "verilator-sc", "native SystemC"),
         "loop": ("train_loop", "verilator", "plain C++ loop")}
PROGRAM, TRACE = "host_program.txt", "trace.txt"
SIMULATED = re.compile(r"pezo_sc: (\d+) ps simulated")  # tb/systemc/native.h
CLOCKS = re.compile(r"pezo_loop: (\d+) clocks")        # tb/systemc/train_loop.cpp


def executable(params: dict[str, int], flow: str = "native") -> Path:
    """The flow's executable for this configuration (built once, cached like any build)."""
    attachment, simulator, _ = FLOWS[flow]
    spec = harness.TestSpec(BENCH, flow, flow, tuple(sorted(params.items())),
                            attachment=attachment)
    return harness.build(spec, simulator) / BENCH.toplevel


def quiet_env() -> dict[str, str]:
    """The environment without SystemC's banner (on stderr): a bad input's line stays alone."""
    return {**os.environ, "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE": "1"}


def command(exe: Path, flow: str) -> list[str]:
    return [str(exe), PROGRAM, TRACE] + ([DMA_DATA] if flow == "loop" else [])


def run_executable(exe: Path, out_dir: Path, timeout_s: float,
                   flow: str = "native") -> tuple[float, int]:
    """Run the flow's executable in out_dir: its wall time and simulated clocks. A bad
    input is its one line (exit status 2)."""
    start = time.monotonic()
    proc = subprocess.run(command(exe, flow), cwd=out_dir, capture_output=True, text=True,
                          timeout=timeout_s, env=quiet_env())
    wall = time.monotonic() - start
    (out_dir / "sim.log").write_text(proc.stdout + proc.stderr)
    if proc.returncode == 2:
        raise ConfigError(proc.stderr.strip().splitlines()[-1].removeprefix(
            harness.SYSTEMC_ERROR).strip())
    if proc.returncode != 0:
        raise RuntimeError(f"{FLOWS[flow][2]} exited with {proc.returncode}: "
                           f"{(proc.stderr or proc.stdout).strip()[-500:]}")
    return wall, simulated_clocks(proc.stdout)


def simulated_clocks(stdout: str) -> int:
    simulated, clocks = SIMULATED.search(stdout), CLOCKS.search(stdout)
    if clocks:
        return int(clocks.group(1))
    return int(simulated.group(1)) // (1000 * CLOCK_PERIOD_NS) if simulated else 0


def run(params: dict[str, int], seed: int, steps: int, batch: int, eps: float, lr: float,
        out_dir: Path, flow: str = "native", dataset: str = "digits") -> dict:
    """One seed on the flow: build, run, check; what `pezo train` reports."""
    exe = executable(params, flow)
    twin = T.Twin(params, seed, steps, batch=batch, eps=eps, lr=lr, dataset=dataset)
    dma_data.write(out_dir / DMA_DATA, twin)
    host_program.write(out_dir / PROGRAM, twin, steps)
    wall, cycles = run_executable(exe, out_dir, max(600.0, steps * 2.0), flow)
    stream_problem = None
    if flow == "native":  # the loop has no sample monitor: the trace shows wrong samples
        try:
            StreamCheck(twin, out_dir / DMA_REPORT).check(steps)
        except AssertionError as exc:
            stream_problem = str(exc)
    trace = trace_check.check(twin, out_dir / TRACE)
    problem = stream_problem or trace.mismatch
    loss_scale = 2.0 ** -twin.shifts.loss_frac
    return {"status": "fail" if problem or trace.steps != steps else "pass",
            "message": problem or "", "bit_exact": problem is None and trace.steps == steps,
            "steps_checked": trace.steps, "theta": [int(v) for v in trace.theta],
            "curve": [(s.step, (s.loss_plus + s.loss_minus) / 2 * loss_scale)
                      for s in trace_check.steps(out_dir / TRACE)],
            "sim_cycles": cycles, "wall_s": round(wall, 2), "simulator": FLOWS[flow][2],
            "steps_per_s": round(steps / wall, 2), "step_cycles": None, "log": str(out_dir)}
