"""Child process of tb.harness.run(): runs one cocotb test through the runner.

Invoked as `python -m tb.run_one '<json request>'`; all output goes to the
parent's log file. Kept separate so the parent can kill a hung simulation.
"""

from __future__ import annotations

import json
import sys

from tb import toolchain
from tb.sims import make_runner


def main(argv: list[str]) -> int:
    request = json.loads(argv[1])
    toolchain.activate()
    runner = make_runner(request["simulator"], request.get("wave_format"))
    try:
        runner.test(test_module=request["module"], hdl_toplevel=request["toplevel"],
                    hdl_toplevel_lang="verilog", testcase=request["testcase"],
                    seed=request["seed"], build_dir=request["build_dir"],
                    test_dir=request["test_dir"], results_xml=request["results_xml"],
                    waves=request["waves"], extra_env=request["env"],
                    plusargs=request["plusargs"])
    except (RuntimeError, SystemExit) as exc:
        print(f"run_one: simulator failed: {exc}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
