"""`pezo claims`: regenerate docs/claims.md and docs/claims/*.png (regress/claims.py)."""

from __future__ import annotations

import sys
from pathlib import Path


def add_parser(sub) -> None:
    from regress.cli import int_list

    p = sub.add_parser("claims", help="measure the paper's claims (area, power, accuracy) and "
                       "write docs/claims.md with its plots")
    p.add_argument("--out", default="docs", help="folder for claims.md and claims/ "
                   "(default docs)")
    p.add_argument("--seeds", type=int_list, default=[1, 2, 3],
                   help="hardware stimulus seeds (default 1,2,3)")
    p.add_argument("--engine-seeds", type=int_list,
                   help="seeds of the training-engine runs (default: the first of --seeds)")
    p.add_argument("--jobs", "-j", type=int, default=2, help="parallel runs (default 2)")
    p.add_argument("--pool-sizes", type=int_list, help="pool sizes N of the front "
                   "(default 256,512,1024; the smallest N >= d joins)")
    p.add_argument("--array-sizes", type=int_list,
                   help="array sizes n of the front (default 2,4,8,16)")
    p.add_argument("--accuracy-steps", type=int, help="training steps of the accuracy runs "
                   "(default: those of the kept runs, <out>/claims/accuracy.json, else the "
                   "committed study's; kept runs are reused, not trained again)")
    p.add_argument("--no-training", action="store_true",
                   help="accuracy only from the study and earlier runs (cells without "
                   "runs are left blank)")
    p.add_argument("--cached-only", action="store_true",
                   help="hardware and engine figures only from kept measurements "
                   "(build/throughput, build/claims/engine); the rest is listed as not measured")
    p.add_argument("--quick", action="store_true",
                   help="one seed, short accuracy runs: checks the pipeline, not the figures")
    p.set_defaults(func=cmd_claims)


def cmd_claims(args) -> int:
    from regress import claims

    opts = claims.Options(
        out=Path(args.out), seeds=tuple(args.seeds), jobs=args.jobs, quick=args.quick,
        pool_sizes=tuple(args.pool_sizes or claims.POOL_SIZES),
        array_sizes=tuple(args.array_sizes or claims.ARRAY_SIZES),
        engine_seeds=tuple(args.engine_seeds) if args.engine_seeds else None,
        accuracy_steps=args.accuracy_steps, train=not args.no_training,
        cached_only=args.cached_only,
        command=" ".join(["pezo"] + sys.argv[1:]))
    claims.check_options(opts)
    path = claims.generate(opts)
    print(f"claims: wrote {path} and {path.parent / claims.PLOTS}/*.png")
    return 0
