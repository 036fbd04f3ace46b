"""`pezo mutate <bench> --recheck`: the equivalence check again on the latest campaign's
mutants that no test killed, without rerunning a simulation (after the check improved,
or with a longer time limit); the campaign's files and latest.json are rewritten."""

from __future__ import annotations

import json
import time

from ref_model.errors import ConfigError
from regress import mutate_campaign
from tb import registry


def recheck(bench: str, jobs: int) -> dict:
    """The latest campaign of `bench` with its survivors proved again."""
    latest = mutate_campaign.MUTATE_ROOT / bench / "latest.json"
    if bench not in registry.BENCHES or not latest.exists():
        raise ConfigError(f"no campaign of '{bench}' to recheck ({latest} is missing): "
                          f"run `pezo mutate {bench}` first")
    summary = json.loads(latest.read_text())
    work = latest.parent / summary["campaign"]
    outcomes = summary["results"]
    for outcome in outcomes:
        if outcome["status"] != "killed":
            outcome["status"] = "survived"
    top = registry.get(registry.BENCHES[bench].SMOKE).bench.toplevel
    start = time.monotonic()
    mutate_campaign.prove(work, top, outcomes, jobs)
    summary.update(mutate_campaign.tally(outcomes),
                   recheck_seconds=round(time.monotonic() - start, 1),
                   rechecked=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    mutate_campaign.write(work, summary)
    return summary
