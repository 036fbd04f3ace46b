"""The native SystemC harness (attachment train_native): clock, register host, DMA, memory,
sample monitor and step recorder around the Verilated engine, no Python in the simulation.
Its step trace equals the fixed-point reference bit for bit; a changed trace, a corrupted
DMA word and a data file that does not fit the design are each caught and named."""

import re
import subprocess
import sys

import pytest

from ref_model import rtl_twin as T
from ref_model.errors import ConfigError
from regress import train_native
from tb import harness
from tb.systemc.attachments import DMA_DATA
from tb.train import dma_data, host_program, specs

PARAMS = specs.ALL_VARIANTS["pool_h8"]
STEPS, SEED, BATCH, EPS, LR = 20, 3, 8, 2.0 ** -6, 2.0 ** -10
CLI_CONFIG = ["--perturb", "uniform", "--reuse", "pool", "--hidden", "8", "--pool-size", "1024",
              "--batch", str(BATCH), "--steps", str(STEPS), "--seeds", str(SEED)]


def twin(steps: int = STEPS) -> T.Twin:
    return T.Twin(PARAMS, SEED, steps, batch=BATCH, eps=EPS, lr=LR)


def test_host_program_is_the_bench_sequence():
    lines = host_program.lines(twin(), STEPS)
    assert lines[0] == "reset 2" and lines[-1] == f"readback {T.REG['WADDR']} {T.REG['WDATA']} 610"
    block = next(line for line in lines if line.startswith("write_block")).split()
    assert block[1:3] == [str(T.REG["WDATA"]), "610"] and len(block) == 3 + 610
    assert f"write {T.REG['STEPS']} {STEPS}" in lines
    assert lines[-2] == f"run {T.REG['CTRL']} {T.CTRL_START} {STEPS}"
    assert lines[-3].split()[1:] == [str(T.REG[n]) for n in host_program.RESULTS]


@pytest.mark.sim
def test_native_harness_trains_bit_exact_and_check_trace_catches_a_change(tmp_path):
    run = train_native.run(PARAMS, SEED, STEPS, BATCH, EPS, LR, tmp_path)
    assert run["status"] == "pass", run["message"]
    assert run["bit_exact"] and run["steps_checked"] == STEPS and len(run["theta"]) == 610
    assert run["sim_cycles"] > STEPS * 2000  # ~2,400 clocks a step (64-8-10, batch 8)
    trace = tmp_path / train_native.TRACE
    cli = [sys.executable, "-m", "regress.cli", "train", "--rtl", *CLI_CONFIG, "--check-trace"]
    good = subprocess.run(cli + [str(trace)], capture_output=True, text=True, cwd=harness.REPO)
    assert good.returncode == 0 and f"{STEPS} steps checked" in good.stdout, good
    lines = trace.read_text().splitlines()
    fields = lines[7].split()
    fields[5] = str(int(fields[5]) + 1)  # loss_minus of step 7
    lines[7] = " ".join(fields)
    bad_trace = tmp_path / "changed.txt"
    bad_trace.write_text("\n".join(lines) + "\n")
    bad = subprocess.run(cli + [str(bad_trace)], capture_output=True, text=True,
                         cwd=harness.REPO)
    assert bad.returncode == 1 and "step 7: loss_minus expected" in bad.stdout, bad


@pytest.mark.sim
def test_native_corrupted_dma_word_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("PEZO_DMA_FLIP", "4,1,16,0")  # the label word of sample 1, step 4
    run = train_native.run(PARAMS, SEED, STEPS, BATCH, EPS, LR, tmp_path)
    assert run["status"] == "fail"
    assert run["message"].startswith("DMA stream: mismatch step 4 sample 1 word 16 "), run


@pytest.mark.sim
def test_native_data_file_not_fitting_is_one_line_exit_2(tmp_path):
    exe = train_native.executable(PARAMS)
    dma_data.write(tmp_path / DMA_DATA, twin(), features=32)
    host_program.write(tmp_path / train_native.PROGRAM, twin(), STEPS)
    out = subprocess.run([str(exe), train_native.PROGRAM, train_native.TRACE], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120, env=train_native.quiet_env())
    assert out.returncode == 2, out
    assert out.stderr.strip().splitlines() == [
        "pezo_sc: error: DMA data file: features 32, the design has N_IN=64"], out.stderr
    with pytest.raises(ConfigError, match="^DMA data file: features 32"):
        train_native.run_executable(exe, tmp_path, 120)


@pytest.mark.sim
def test_plain_loop_runs_the_same_program_to_the_same_trace(tmp_path):
    """The plain C++ loop (make bench's anchor) and the native SystemC harness share the host
    program and the sample stream: the same clocks and the same trace, line for line."""
    runs = {}
    for flow in ("loop", "native"):
        (tmp_path / flow).mkdir()
        runs[flow] = train_native.run(PARAMS, SEED, STEPS, BATCH, EPS, LR, tmp_path / flow, flow)
    assert all(r["bit_exact"] for r in runs.values()), runs
    assert runs["loop"]["sim_cycles"] == runs["native"]["sim_cycles"] > 0
    traces = [(tmp_path / flow / train_native.TRACE).read_text() for flow in runs]
    assert traces[0] == traces[1]


@pytest.mark.sim
def test_plain_loop_fails_on_a_corrupted_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("PEZO_DMA_FLIP", "4,1,3,0")  # a pixel word of sample 1, step 4
    run = train_native.run(PARAMS, SEED, STEPS, BATCH, EPS, LR, tmp_path, "loop")
    named = re.match(r"(?:weights after )?step (\d+)", run["message"])
    assert run["status"] == "fail" and named and int(named.group(1)) >= 4, run["message"]
