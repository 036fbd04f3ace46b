"""The reference study runs on the same execution backends as a regression: a short study
on a Dask LocalCluster gives the local process pool's results, run for run."""

from regress import study
from regress.dask_backend import DaskPool


def test_a_study_on_dask_equals_the_local_one(tmp_path):
    kwargs = dict(steps=40, seeds=[0], pool_sizes=[1021], array_size=16, jobs=2,
                  command="test", reuse=False)
    local = study.run_study(out_dir=str(tmp_path / "local"), **kwargs)
    pool = DaskPool.connect(local_workers=2)
    try:
        dask = study.run_study(out_dir=str(tmp_path / "dask"), backend=pool, **kwargs)
    finally:
        pool.close()
    assert len(local) == len(dask) >= 4
    for a, b in zip(local, dask, strict=True):
        assert study.run_key(a["config"]) == study.run_key(b["config"])
        assert (a["test_accuracy"], a["final_loss"]) == (b["test_accuracy"], b["final_loss"])
    assert (tmp_path / "dask" / "study.md").read_text().count("|") > 10
