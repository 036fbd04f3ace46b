"""The execution-backend options every command that spreads work shares (`pezo regress`,
`pezo ref study`, `pezo ref datasets`): --scheduler, --cluster, --tries; validated, one
ConfigError line each."""

from __future__ import annotations

import re

from ref_model.errors import ConfigError

CLUSTER = re.compile(r"local:(\d+)")
SCHEDULER = re.compile(r"(tcp|tls|inproc|ws|wss)://\S+")


def add(p) -> None:
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="run on this Dask cluster (no shared file system needed)")
    p.add_argument("--cluster", metavar="local:N",
                   help="start a Dask LocalCluster of N single-threaded worker processes")
    p.add_argument("--tries", type=int, metavar="N",
                   help="Dask: attempts of a job whose worker dies before it is an error "
                        "(default 3)")


def dask(args):
    """None (the local pool), or a Dask pool for --scheduler / --cluster."""
    if args.scheduler and args.cluster:
        raise ConfigError("--scheduler and --cluster: give one of them")
    if not (args.scheduler or args.cluster):
        if args.tries is not None:
            raise ConfigError("--tries applies to Dask (--scheduler or --cluster)")
        return None
    from regress.dask_backend import DaskPool
    tries = 3 if args.tries is None else args.tries
    if args.cluster:
        m = CLUSTER.fullmatch(args.cluster)
        if not m or int(m.group(1)) < 1:
            raise ConfigError(f"--cluster {args.cluster}: expected local:N with N >= 1 "
                              "worker processes")
        return DaskPool.connect(local_workers=int(m.group(1)), tries=tries)
    if not SCHEDULER.fullmatch(args.scheduler):
        raise ConfigError(f"--scheduler {args.scheduler}: expected an address like "
                          "tcp://HOST:PORT")
    return DaskPool.connect(scheduler=args.scheduler, tries=tries)


def pool(args, workers: int):
    """The backend of a command's function runs: Dask when asked, else local processes."""
    from regress.local_backend import LocalPool
    return dask(args) or LocalPool(workers)
