"""`make bench` interrupted (Ctrl-C, or SIGTERM from a cancelled job) stops its Prefect server and
its runs and removes its scratch folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import psutil
import pytest

from tests.conftest import REPO
from tests.prefect_server import wait_for

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("sig", "stage"), [(signal.SIGTERM, "run"), (signal.SIGINT, "server")])
def test_an_interrupted_benchmark_leaves_nothing_behind(sig, stage, tmp_path):
    """Interrupted while a `dealwatch run` is going, or while its server is still starting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DEALWATCH_"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.run", "--sizes", "40", "--runners", "default"],
        cwd=REPO,
        env={**env, "TMPDIR": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    bench = psutil.Process(process.pid)
    try:

        def reached() -> list[psutil.Process]:
            tree = bench.children(recursive=True)
            if stage == "run":
                found = any("run" in child.cmdline() and "--inbox" in child.cmdline() for child in tree)
            else:
                found = any("server" in child.cmdline() for child in tree)
            return tree if found else []

        tree = wait_for(reached, 240, f"the benchmark's first {stage}", interval=0.2)
        assert list(tmp_path.glob("dealwatch-bench-*")), "the scratch folder is where TMPDIR says"
        process.send_signal(sig)
        process.wait(timeout=120)
    finally:
        if process.poll() is None:  # the test failed or was interrupted: let it clean up, then make sure
            everything = bench.children(recursive=True)
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
            for child in psutil.wait_procs(everything, timeout=10)[1]:
                child.kill()
    _, alive = psutil.wait_procs(tree, timeout=30)
    leftovers = [child.cmdline() for child in alive]
    for child in alive:  # never leave them to the next test
        child.kill()
    assert not leftovers
    assert not list(tmp_path.glob("dealwatch-bench-*")), "the scratch folder was left behind"
