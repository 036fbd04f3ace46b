"""`pezo claims --cached-only`: the equal-throughput measurements already in build/throughput/.

power/throughput.py's `measure()` keeps every seed's record (seed.json, activity.npz) per
configuration and source hash, but rebuilds the RTL and gate-level testbenches on every
call, which for a netlist above 10,000 cells is a Verilator build of minutes. This reads a
configuration's kept seeds (those of the asked ones that are there) with the same records,
synthesis results and proxy fit that `measure()` would return, and builds nothing; a
configuration with no seed kept (or records of an older format) is not measured.
"""

from __future__ import annotations

import json


def measurement(throughput, cfg, seeds) -> dict | None:
    """The Measurement.to_dict() of `cfg` over the asked seeds that are kept (its "seeds"
    says which), or None if none is."""
    work = throughput.cache_dir(cfg)
    kept = [work / f"s{seed}" for seed in seeds
            if (work / f"s{seed}" / "seed.json").is_file()
            and (work / f"s{seed}" / "activity.npz").is_file()]
    if not (work / "xilinx.json").is_file() or not kept:
        return None
    try:
        records = [throughput.SeedRecord(**json.loads((k / "seed.json").read_text()))
                   for k in kept]
    except TypeError:  # a record of another format: measure it again
        return None
    xilinx = json.loads((work / "xilinx.json").read_text())
    sky130, _ = throughput._sky130(cfg)           # the kept netlist's figures
    fit_w, stored_w, model_id = throughput._proxies(cfg, work, records)
    times = {"total_s": 0.0, "kept": True, "synthesis_s": sky130.get("synthesis_s", 0.0),
             "runs_s": round(sum(r.rtl_s + r.gl_s + r.power_s for r in records), 2)}
    return throughput.Measurement(cfg, xilinx, sky130, records, fit_w, stored_w, model_id,
                                  times).to_dict()
