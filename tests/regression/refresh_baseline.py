"""Rewrite the results baseline of the bundled scenarios (on purpose only).

    python tests/regression/refresh_baseline.py

Run it after a change that is meant to change numbers, and say in the commit message
which numbers changed and why. The regression test never rewrites the baseline.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from baseline import FOLDER, baseline_file, baselined, compute, differences, read


def main() -> None:
    """Simulate every bundled scenario and write its baseline; print what changed."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    for scenario in baselined():
        fresh = compute(scenario)
        target = baseline_file(scenario)
        changes = differences(read(scenario), fresh) if target.exists() else ["(new)"]
        fresh.to_csv(target, index=False, float_format="%.17g")
        print(f"{target.name}: {len(changes)} change(s)")
        for change in changes[:20]:
            print(f"  {change}")


if __name__ == "__main__":
    main()
