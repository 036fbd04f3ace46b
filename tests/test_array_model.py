"""The RNG array's bit-exact model (ref_model/array_model.py) against the training
reference (ref_model/perturb.py) and against a slow direct implementation; the
configuration checks."""

import numpy as np
import pytest

from ref_model import array_model, gauss_icdf, lfsr
from ref_model.array_model import ArrayConfig, ArrayModel
from ref_model.errors import ConfigError
from ref_model.perturb import Perturbations
from ref_model.source_table import Dist


@pytest.mark.parametrize("dist,k", [(Dist.UNIFORM, 1), (Dist.CLT, 3)])
@pytest.mark.parametrize("n,d", [(4, 13), (5, 3), (5, 20), (1, 7), (16, 1210)])
def test_model_equals_training_reference(dist, k, n, d):
    """ArrayModel with the reference's derived seeds == Perturbations(reuse=array, hw)."""
    cfg = ArrayConfig(lanes=n, dist=dist, k=k)
    model = ArrayModel(cfg, array_model.reference_seeds(5, n))
    ref = Perturbations(array_model.train_config(cfg, 5), d)
    for t in range(7):
        want = ref.next_step()[0]
        got = model.step(d)
        assert np.array_equal(got, want), f"step {t}: model differs from the training reference"
        assert np.array_equal(model.replay(), want), f"step {t}: replay differs"


def slow_numbers(cfg: ArrayConfig, seed: int, count: int) -> list[int]:
    """One generator's numbers from ref_model.lfsr words, clock by clock, no banks."""
    words = lfsr.words(lfsr.LfsrConfig(cfg.state_w, cfg.k * cfg.w), [seed], count)[0]
    out = []
    for word in (int(x) for x in words):
        if cfg.dist == Dist.ICDF:
            out.append(int(gauss_icdf.icdf(np.array([word]), cfg.k * cfg.w, cfg.w)[0]))
            continue
        parts = [(word >> (i * cfg.w)) & ((1 << cfg.w) - 1) for i in range(cfg.k)]
        out.append(sum(2 * (p - (1 << cfg.w) if p >> (cfg.w - 1) else p) + 1 for p in parts))
    return out


class SlowArray:
    """The array by its definition: lane l at global clock c <- generator (l + c) mod n."""

    def __init__(self, cfg, seeds):
        self.cfg, self.seeds = cfg, list(seeds)
        self.pos = [0] * cfg.lanes      # numbers consumed per generator
        self.clock = 0

    def step(self, d):
        self.saved = (list(self.pos), self.clock)
        return self._stream(d)

    def replay(self, d):
        self.pos, self.clock = list(self.saved[0]), self.saved[1]
        return self._stream(d)

    def reseed(self, g, seed):
        self.seeds[g], self.pos[g], self.clock = seed, 0, 0

    def _stream(self, d):
        n, out = self.cfg.lanes, []
        for _ in range(-(-d // n)):
            nums = [slow_numbers(self.cfg, self.seeds[g], self.pos[g] + 1)[-1] for g in range(n)]
            out += [nums[(lane + self.clock) % n] for lane in range(n)]
            self.pos = [p + 1 for p in self.pos]
            self.clock += 1
        return out[:d]


@pytest.mark.parametrize("cfg", [ArrayConfig(lanes=3, dist=Dist.CLT, w=5, k=12, state_w=64),
                                 ArrayConfig(lanes=3, dist=Dist.ICDF, w=8, k=4),
                                 ArrayConfig(lanes=4, dist=Dist.CLT, w=4, k=2, state_w=16)],
                         ids=["clt12", "icdf", "clt2"])
def test_model_equals_slow_definition_with_replay_and_reseed(cfg):
    seeds = [0x1234567, 0, 0xFFFFFFFF, 99][:cfg.lanes]
    model, slow = ArrayModel(cfg, np.array(seeds, dtype=np.uint64)), SlowArray(cfg, seeds)
    rng = np.random.default_rng(1)
    for t in range(8):
        d = int(rng.integers(1, 4 * cfg.lanes + 2))
        if t == 4:
            model.reseed(1, 777)
            slow.reseed(1, 777)
        assert model.step(d).tolist() == slow.step(d), f"step {t} (d={d})"
        if t % 2:
            assert model.replay().tolist() == slow.replay(d), f"replay of step {t}"


def test_replay_before_first_step_is_none_and_reseed_forgets_the_step():
    model = ArrayModel(ArrayConfig(lanes=4), np.arange(1, 5, dtype=np.uint64))
    assert model.replay() is None
    first = model.step(9)
    model.reseed(2, 5)
    assert model.replay() is None, "a seed write is a set-up: nothing to replay"
    again = ArrayModel(ArrayConfig(lanes=4), np.arange(1, 5, dtype=np.uint64)).step(9)
    assert np.array_equal(first, again)


def test_frac_normalises_clt_by_a_shift():
    assert ArrayConfig(lanes=2, dist=Dist.CLT, k=3).frac == 8
    assert ArrayConfig(lanes=2, dist=Dist.CLT, w=5, k=12, state_w=64).frac == 6


# (bad parameters, pezo_numgen's or pezo_rng_array's message; tests/test_param_limits.py
# shows the RTL prints the same words at every limit)
DEGENERATE = [
    (dict(lanes=0), "LANES=0 unsupported, need 1..64"),
    (dict(lanes=65, d_w=16), "LANES=65 unsupported, need 1..64"),
    (dict(dist=1, k=9, w=8, state_w=64), "K=9 unsupported, need 1..8 (K*W <= STATE_W)"),
    (dict(w=1), "W=1 unsupported, need 2..16"),
    (dict(dist=1, k=3, num_w=10), "NUM_W=10 unsupported, need 11..32"),
    (dict(dist=0, k=2), "K=2 unsupported, need 1 (DIST=0, uniform)"),
    (dict(dist=2, k=1, w=8), "K*W=8 unsupported, need 16..32 (DIST=2, ICDF)"),
    (dict(dist=1, k=5, w=8), "K=5 unsupported, need 1..4 (K*W <= STATE_W)"),
    (dict(lanes=8, d_w=3), "LANES=8 unsupported, need <= 7 (LANES < 2^D_W)"),
    (dict(dist=len(Dist)), f"DIST={len(Dist)} unsupported, need 0..{len(Dist) - 1}"),
]


@pytest.mark.parametrize("bad,message", DEGENERATE, ids=[m for _, m in DEGENERATE])
def test_python_config_rejects_like_the_rtl(bad, message):
    with pytest.raises(ConfigError) as err:
        ArrayConfig(**bad)
    assert str(err.value) == message
