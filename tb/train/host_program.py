"""The program of the native harness's register host (tb/systemc/reg_host.h), from the
reference: the same set-up, weight load, run registers and result reads as the pyuvm
bench's sequences (tb/train/sequences.py), as text the host runs with no Python."""

from __future__ import annotations

from pathlib import Path

from ref_model import rtl_twin as T

# StepRecorder::kResults (tb/systemc/step_recorder.h): read after every step-done
RESULTS = ("STEP_COUNT", "LOSS_P_LO", "LOSS_P_HI", "LOSS_M_LO", "LOSS_M_HI", "G_HAT", "WSIG")
RESET_CLOCKS = 2


def lines(twin: T.Twin, steps: int) -> list[str]:
    """Reset, source set-up, weights, one run of `steps` steps, the final read-back."""
    reg = T.REG
    out = [f"reset {RESET_CLOCKS}"]
    for name, value in twin.setup_writes():
        out.append(f"write {reg[name]} {T.to_u32(value)}")
        if name == "CTRL":
            out.append(f"wait_clear {reg['STATUS']} {T.ST_SETUP_BUSY}")
    theta = [T.to_u32(v) for v in twin.theta0]
    out += [f"write {reg['WADDR']} 0",
            f"write_block {reg['WDATA']} {len(theta)} {' '.join(map(str, theta))}"]
    out += [f"write {reg[name]} {T.to_u32(value)}" for name, value in twin.config_writes(steps)]
    out.append("results " + " ".join(str(reg[name]) for name in RESULTS))
    out.append(f"run {reg['CTRL']} {T.CTRL_START} {steps}")
    out.append(f"readback {reg['WADDR']} {reg['WDATA']} {twin.d}")
    return out


def write(path: Path, twin: T.Twin, steps: int) -> Path:
    Path(path).write_text("\n".join(lines(twin, steps)) + "\n")
    return Path(path)
