"""Functional coverage of the RNG array: rotation, d mod n, replay patterns, backpressure,
reseeds. Bins are declared up front; holes fail the test when closure is required."""

from __future__ import annotations

from tb.array.item import CtrlObs
from tb.common.coverage_collector import CoverageCollector

LONG_STALL = 8


def groups(lanes: int) -> dict[str, list[str]]:
    d_bins = ["d_one", "d_multiple_of_n", "d_large"]  # d_large: >= 4n beats' worth
    if lanes > 1:
        d_bins += ["d_lt_n", "d_mod_n_nonzero"]
    rotation = ["pass_starts_rotated", "wrap_mid_pass"] if lanes > 1 else ["wrap_mid_pass"]
    # with one generator, reseeding one of them is reseeding all (setup_all)
    reseed = ["setup_all", "reseed_mid_run"] + (["reseed_one_generator"] if lanes > 1 else [])
    return {
        "rotation": rotation,
        "d_mod_n": d_bins,
        "replay": ["replay", "replay_replay", "step_step", "step_after_replay",
                   "replay_before_step_ignored"],
        "control": ["refused_d0", "step_after_refused", "pulse_while_busy_ignored"],
        "backpressure": ["full_rate", "stall_short", "stall_long", "stall_on_last_beat"],
        "reseed": reseed,
    }


def declared_bins(params: dict[str, int]) -> dict[str, list[str]]:
    """The bins of a design with these HDL parameters, known without simulating it."""
    return groups(params["LANES"])


class ArrayCoverage(CoverageCollector):
    def groups(self):
        return groups(self.cfg.lanes)

    def build_phase(self):
        super().build_phase()
        self.clock = 0           # beats transferred since set-up (the global clock c)
        self.saved_clock = 0
        self.have_step = False
        self.steps = 0
        self.writes_since_step = 0
        self.last_ctrl = ""
        self.pass_start = 0
        self.last_beat_cycle: int | None = None

    def write(self, obs):
        if isinstance(obs, CtrlObs):
            self._ctrl(obs)
        else:
            self._beat(obs)

    def _ctrl(self, obs) -> None:
        m, n = self.model, self.cfg.lanes
        if obs.kind == "seed":
            self.clock, self.have_step = 0, False
            if self.steps:
                m.sample("reseed", "reseed_mid_run")
            self.writes_since_step += 1
            if self.writes_since_step == n:
                m.sample("reseed", "setup_all")
        elif obs.kind == "step":
            if self.writes_since_step and self.writes_since_step < n and self.steps:
                m.sample("reseed", "reseed_one_generator")
            self.writes_since_step = 0
            self._d_bins(obs.d)
            if self.last_ctrl == "step":
                m.sample("replay", "step_step")
            elif self.last_ctrl == "replay":
                m.sample("replay", "step_after_replay")
            elif self.last_ctrl == "refused":
                m.sample("control", "step_after_refused")
            self.saved_clock, self.have_step = self.clock, True
            self.steps += 1
            self._pass_start()
        elif obs.kind == "refused":
            m.sample("control", "refused_d0")
        elif obs.kind == "replay":
            if not self.have_step:
                m.sample("replay", "replay_before_step_ignored")
                return
            m.sample("replay", "replay_replay" if self.last_ctrl == "replay" else "replay")
            self.clock = self.saved_clock
            self._pass_start()
        elif obs.kind == "ignored":
            m.sample("control", "pulse_while_busy_ignored")
            return
        self.last_ctrl = obs.kind

    def _d_bins(self, d: int) -> None:
        m, n = self.model, self.cfg.lanes
        if d == 1:
            m.sample("d_mod_n", "d_one")
        if d >= 4 * n * n:
            m.sample("d_mod_n", "d_large")
        if n > 1 and d < n:
            m.sample("d_mod_n", "d_lt_n")
        elif d % n == 0:
            m.sample("d_mod_n", "d_multiple_of_n")
        elif n > 1:
            m.sample("d_mod_n", "d_mod_n_nonzero")

    def _pass_start(self) -> None:
        if self.clock % self.cfg.lanes:
            self.model.sample("rotation", "pass_starts_rotated")
        self.pass_start = self.clock
        self.last_beat_cycle = None

    def _beat(self, beat) -> None:
        m, n = self.model, self.cfg.lanes
        if self.clock > self.pass_start and self.clock % n == 0:
            m.sample("rotation", "wrap_mid_pass")
        if self.last_beat_cycle is not None:
            gap = beat.cycle - self.last_beat_cycle - 1
            if gap == 0:
                m.sample("backpressure", "full_rate")
            else:
                m.sample("backpressure", "stall_short" if gap < LONG_STALL else "stall_long")
                if beat.last:
                    m.sample("backpressure", "stall_on_last_beat")
        self.last_beat_cycle = beat.cycle
        self.clock += 1
