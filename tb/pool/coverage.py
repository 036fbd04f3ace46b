"""Functional coverage of the pool engine: d classes, offset arithmetic, control events."""

from __future__ import annotations

from tb.common.coverage_collector import CoverageCollector


def groups(pool_n: int, lanes: int) -> dict[str, list[str]]:
    d_bins = ["d_lt_n", "d_gt_n", "d_n_minus_1", "refused_zero", "refused_mult_n",
              "refused_no_pool"]
    if lanes > 1:
        d_bins += ["d_lt_lanes", "d_partial_last_beat"]
    return {
        "d": d_bins,
        "offset": ["wrap", "no_wrap", "multi_wrap"] + [f"start_lane_{r}" for r in range(lanes)],
        "control": ["replay", "replay_twice", "step_after_replay", "replay_ignored",
                    "backpressure", "refresh", "refill_mid_run", "idle_gap"],
    }


def declared_bins(params: dict[str, int]) -> dict[str, list[str]]:
    """The bins of a design with these HDL parameters, known without simulating it."""
    return groups(params["POOL_N"], params["LANES"])


class PoolCoverage(CoverageCollector):
    def groups(self):
        return groups(self.cfg.pool_n, self.cfg.lanes)

    def build_phase(self):
        super().build_phase()
        self.filled, self.offset, self.steps, self.replays, self.prev = False, 0, -1, 0, ""

    def write(self, obs):
        kind, sample = obs.op.kind, self.model.sample
        if obs.stalls:
            sample("control", "backpressure")
        if kind == "fill":
            if self.steps >= 0:
                sample("control", "refill_mid_run")
            self.filled, self.offset, self.steps, self.replays = True, 0, -1, 0
        elif kind == "step":
            self._step(obs)
        elif kind == "replay":
            if not obs.beats:
                sample("control", "replay_ignored")
            else:
                self.replays += 1
                sample("control", "replay")
                if self.replays == 2:
                    sample("control", "replay_twice")
        if kind == "idle":
            sample("control", "idle_gap")
        self.prev = kind

    def _step(self, obs) -> None:
        sample, n, lanes, d = self.model.sample, self.cfg.pool_n, self.cfg.lanes, obs.op.d
        if obs.err:
            bin_name = ("refused_no_pool" if not self.filled else
                        "refused_zero" if d == 0 else "refused_mult_n")
            sample("d", bin_name)
            return
        if self.prev == "replay" and self.replays:
            sample("control", "step_after_replay")
        if obs.busy_cycles:
            sample("control", "refresh")
        self.steps += 1
        self.replays = 0
        sample("d", "d_lt_n" if d < n else "d_gt_n")
        if d == n - 1:
            sample("d", "d_n_minus_1")
        if lanes > 1 and d < lanes:
            sample("d", "d_lt_lanes")
        if lanes > 1 and d % lanes:
            sample("d", "d_partial_last_beat")
        end = self.offset + d
        sample("offset", "multi_wrap" if end > 2 * n else "wrap" if end > n else "no_wrap")
        sample("offset", f"start_lane_{self.offset % lanes}")
        self.offset = end % n
