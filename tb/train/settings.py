"""The one setting between `pezo train --rtl` (regress/train_rtl.py) and the bench's
TrainCliTest, and the bench's mutation switch: environment variable PEZO_TRAIN, a JSON
object (like PEZO_PARAMS), validated on both sides; a bad value is one ConfigError line."""

from __future__ import annotations

import dataclasses
import json
import math
import os
from dataclasses import dataclass

from ref_model.errors import ConfigError

ENV = "PEZO_TRAIN"


@dataclass(frozen=True)
class TrainSettings:
    """steps, seed, batch, eps, lr of the reference run; dataset: what it trains on (a
    name or file of ref_model/data.py; every test of the bench); chunk: steps per run (START);
    progress: file the scoreboard appends `step loss mismatches` lines to every 10 steps;
    inject: corrupt theta[5] behind the scoreboard's back (the checks must fail)."""

    steps: int = 100
    seed: int = 0
    batch: int = 32
    eps: float = 2.0 ** -6
    lr: float = 2.0 ** -10
    dataset: str = "digits"
    chunk: int = 100
    progress: str = ""
    inject: bool = False

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            kind = {"int": int, "float": (int, float), "str": str, "bool": bool}[f.type]
            if not isinstance(value, kind) or (f.type != "bool" and isinstance(value, bool)):
                raise ConfigError(f"{ENV}: {f.name} must be {f.type}, got {value!r}")
        for name in ("steps", "batch", "chunk"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{ENV}: {name} must be >= 1, got {getattr(self, name)}")
        if not all(math.isfinite(v) and v > 0 for v in (self.eps, self.lr)):
            raise ConfigError(f"{ENV}: eps and lr must be finite and > 0, got {self.eps}, "
                              f"{self.lr}")

    def to_env(self) -> dict[str, str]:
        return {ENV: json.dumps(dataclasses.asdict(self))}

    @classmethod
    def from_env(cls, environ=os.environ) -> TrainSettings:
        raw = environ.get(ENV, "{}")
        try:
            values = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{ENV} is not JSON ({exc.msg}): {raw!r}") from None
        if not isinstance(values, dict):
            raise ConfigError(f"{ENV} must be a JSON object, got {raw!r}")
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ConfigError(f"{ENV}: unknown setting {', '.join(unknown)} "
                              f"(known: {', '.join(sorted(names))})")
        return cls(**values)
