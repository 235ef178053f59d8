"""The engine benchmark script runs (sizes shrunk by --quick); its timings are never asserted."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_engine.py"


PSA_SCRIPT = SCRIPT.parent / "bench_psa.py"


def run_quick(script: Path) -> subprocess.CompletedProcess[str]:
    """Run a benchmark script with --quick from the repository root."""
    return subprocess.run([sys.executable, str(script), "--quick"], capture_output=True,
                          text=True, timeout=600, cwd=script.parent.parent)


def test_benchmark_script_runs_quick() -> None:
    completed = run_quick(SCRIPT)
    assert completed.returncode == 0, completed.stderr
    assert "ratio bosim/simpy = " in completed.stdout
    assert "target >= 0.8" in completed.stdout


def test_psa_benchmark_runs_quick() -> None:
    completed = run_quick(PSA_SCRIPT)
    assert completed.returncode == 0, completed.stderr
    assert "PSA, whole register: " in completed.stdout
    assert "re-pricing saves " in completed.stdout
    assert "same numbers as local: False" not in completed.stdout
