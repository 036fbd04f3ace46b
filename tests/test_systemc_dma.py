"""verilator-sc with SystemC models around the training engine (attachment train_dma): the
clock, a TLM-2.0 memory holding the reference's data, a DMA streaming each step's batch into
the sample port, a monitor checking every word the engine took, a step tap recording every
step. Python only sets up, starts runs and checks every step (from the registers and the
tap, or from the tap alone in an unattended run), bit for bit; the checks are shown to fail
on a corrupted DMA word and on a weight changed behind the scoreboard's back, and a data
file that does not fit the design stops the run with one line and exit status 2."""

import re
import subprocess
import sys

import numpy as np
import pytest

from ref_model import rtl_twin as T
from ref_model.errors import ConfigError
from tb import harness, registry
from tb.systemc import attachments, top_gen
from tb.systemc.ports import Design, Port
from tb.train import dma_data, specs
from tb.train.settings import TrainSettings
from tb.train.stream_check import StreamCheck
from tests.simcheck import assert_pass

DMA_TEST = "train.TrainDmaTest.pool_h8"
ENGINE_PORTS = (Port("clk_i", "input", 1), Port("rst_ni", "input", 1),
                Port("reg_addr_i", "input", 8), Port("s_valid_i", "input", 1),
                Port("s_ready_o", "output", 1), Port("s_pixels_i", "input", 512),
                Port("s_label_i", "input", 4), Port("step_done_o", "output", 1))
PARAMS = {"N_IN": 64, "N_OUT": 10, "MAX_BATCH": 32}


def small_twin(steps: int = 3) -> T.Twin:
    return T.Twin(specs.ALL_VARIANTS["pool_h8"], 4, steps, batch=8)


def test_top_binds_the_dma_and_leaves_its_ports_unmirrored():
    design = Design("pezo_train_top", ENGINE_PORTS, "1ps")
    top = top_gen.render(design, attachment=attachments.get("train_dma"), params=PARAMS)
    for port in ("s_valid_i", "s_pixels_i", "s_label_i"):
        assert f"bridge.add({port});" not in top and f"MirroredSignal<bool> {port}" not in top
        assert f"dma.{port}({port});" in top and f"monitor.{port}({port});" in top
    for port in ("rst_ni", "reg_addr_i"):  # Python's inputs stay mirrored
        assert f"bridge.add({port});" in top
    assert "bridge.add(clk_i);" not in top and "clock.clk_o(clk_i);" in top  # SystemC's clock
    assert 'StepTap tap{"tap", "dut.pezo_train_top", {"u_engine.u_regs.step_count_i", ' in top
    assert "tap.step_done_o(step_done_o);" in top
    assert "sc_core::sc_signal<sc_dt::sc_bv<512>> s_pixels_i{" in top
    assert "SampleDma<sc_dt::sc_bv<512>, uint32_t> dma" in top
    assert "DesignShape{64u, 10u, 32u}" in top and "dma.socket.bind(memory.socket);" in top


def test_attachment_refuses_a_design_it_does_not_fit():
    design = Design("pezo_lfsr", ENGINE_PORTS[:3], "1ps")
    with pytest.raises(ConfigError, match="pezo_lfsr has no port s_valid_i"):
        top_gen.render(design, attachment=attachments.get("train_dma"), params=PARAMS)
    full = Design("pezo_train_top", ENGINE_PORTS, "1ps")
    with pytest.raises(ConfigError, match="needs HDL parameter.*MAX_BATCH"):
        top_gen.render(full, attachment=attachments.get("train_dma"),
                       params={"N_IN": 64, "N_OUT": 10})


def test_data_file_holds_the_reference_draw_order():
    twin = small_twin()
    data = dma_data.image(twin)
    magic, features, classes, batch, steps, samples = dma_data.HEADER.unpack_from(data)
    assert (magic, features, classes, batch, steps) == (b"PEZODMA1", 64, 10, 8, 3)
    record = features + 1
    index = np.frombuffer(data, "<u4", offset=dma_data.HEADER.size + samples * record)
    assert np.array_equal(index.reshape(steps, batch), twin.run.batches)
    pixels, labels = twin.samples(2)
    n = int(index[2 * batch + 5])
    raw = data[dma_data.HEADER.size + n * record:][:record]
    assert list(raw[:64]) == list(pixels[5]) and raw[64] == labels[5]


def test_beat_words_and_checksum():
    pixels = np.arange(64, dtype=np.uint8) % 17
    words = dma_data.beat_words(pixels, 7)
    assert len(words) == 17 and words[0] == 0x03020100 and words[-1] == 7
    twin = small_twin()
    px, lb = twin.samples(0)
    flat = [w for i in range(8) for w in dma_data.beat_words(px[i], int(lb[i]))]
    assert dma_data.step_checksum(px, lb) == sum(w * (k + 1) for k, w in enumerate(flat)) % 2**32


def test_stream_check_fails_on_a_wrong_report(tmp_path):
    twin = small_twin()
    good = [f"step {t} samples 8 checksum {dma_data.step_checksum(*twin.samples(t))}"
            for t in range(2)]
    report = tmp_path / "report.txt"
    check = StreamCheck(twin, report)
    report.write_text("\n".join(good) + "\n")
    check.check(2)
    assert check.received() == 16
    with pytest.raises(AssertionError, match=r"steps \[0, 1\], expected steps 0..2"):
        check.check(3)
    report.write_text(good[0] + "\nstep 1 samples 8 checksum 12345\n")
    with pytest.raises(AssertionError, match="step 1: 8 samples, checksum 12345"):
        check.check(2)
    report.write_text(good[0] + "\nmismatch step 1 sample 2 word 3 expected 0x1 actual 0x0\n")
    with pytest.raises(AssertionError, match="DMA stream: mismatch step 1 sample 2 word 3"):
        check.check(2)


def test_dma_needs_verilator_sc():
    out = subprocess.run([sys.executable, "-m", "regress.cli", "sim", DMA_TEST,
                          "--sim", "verilator"], capture_output=True, text=True, timeout=120,
                         cwd=harness.REPO)
    assert out.returncode == 2, out
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs --sim verilator-sc" in lines[0], out.stderr


@pytest.mark.sim
def test_dma_training_is_bit_exact(tmp_path):
    result = harness.run(registry.get(DMA_TEST), 31, "verilator-sc", out_dir=tmp_path)
    assert_pass(result)
    m = result.metrics
    assert m["steps_checked"] == 30 and m["tap_steps"] == 30 and m["readbacks"] >= 4
    assert len((tmp_path / attachments.TAP_TRACE).read_text().splitlines()) == 30
    assert m["samples"] == 30 * 8  # every beat compared, in 30 complete steps
    report = (tmp_path / attachments.DMA_REPORT).read_text().splitlines()
    assert len(report) == 30 and all(line.startswith("step ") for line in report)
    # back to back: LOAD takes one clock a sample (the Python BFM needs two)
    assert m["load_cycles"] <= 8 + 2, m["load_cycles"]


@pytest.mark.sim
def test_corrupted_dma_word_fails_naming_step_sample_and_word(tmp_path):
    result = harness.run(registry.get(DMA_TEST), 31, "verilator-sc", out_dir=tmp_path,
                         extra_env={"PEZO_DMA_FLIP": "2,5,7,3"})
    assert result.status == "fail", "a corrupted DMA word went unnoticed"
    found = re.search(r"DMA stream: mismatch step 2 sample 5 word 7 expected 0x([0-9a-f]{8}) "
                      r"actual 0x([0-9a-f]{8})", result.message)
    assert found, result.message
    assert int(found.group(1), 16) ^ int(found.group(2), 16) == 1 << 3


@pytest.mark.sim
@pytest.mark.parametrize("header, line", [
    ({"features": 32}, "features 32, the design has N_IN=64"),
    ({"classes": 12}, "classes 12, the design has N_OUT=10"),
    ({"batch": 64}, "batch 64, the design has MAX_BATCH=32")])
def test_data_file_not_fitting_the_design_is_one_line_exit_2(header, line, tmp_path):
    data = dma_data.write(tmp_path / "bad.bin", small_twin(40), **header)
    result = harness.run(registry.get(DMA_TEST), 31, "verilator-sc", out_dir=tmp_path / "run",
                         extra_env={"PEZO_DMA_DATA": str(data)})
    assert result.status == "error"
    assert result.message == f"pezo_sc: error: DMA data file: {line}", result.message
    log = (tmp_path / "run" / "sim.log").read_text()
    assert log.count("pezo_sc: error:") == 1 and "return code: 2" in log, log[-2000:]


def unattended_spec() -> harness.TestSpec:
    return harness.TestSpec(specs.BENCH, "TrainCliDmaTest", "cli", specs.params("pool_h8"),
                            600.0, attachment=specs.DMA)


@pytest.mark.sim
def test_unattended_run_is_checked_from_the_step_tap(tmp_path):
    env = TrainSettings(steps=40, seed=3, batch=8).to_env()
    result = harness.run(unattended_spec(), 3, "verilator-sc", out_dir=tmp_path, extra_env=env)
    assert_pass(result)
    m = result.metrics
    assert m["tap_steps"] == 40 and m["steps_checked"] == 40 and m["samples"] == 40 * 8
    assert m["readbacks"] == 2  # the initial and the final weights: no read between steps


@pytest.mark.sim
def test_unattended_run_fails_on_a_weight_changed_behind_the_scoreboard(tmp_path):
    env = TrainSettings(steps=10, seed=3, batch=8, inject=True).to_env()
    result = harness.run(unattended_spec(), 3, "verilator-sc", out_dir=tmp_path, extra_env=env)
    assert result.status == "fail", "the step tap's check missed a corrupted weight"
    assert re.search(r"step \d+: (loss_plus|loss_minus|g_hat|weight signature) expected "
                     r"-?\d+, actual -?\d+", result.message), result.message
