"""What makes a results folder explain itself: versions, input files, seed and times."""

from __future__ import annotations

import platform
from importlib import metadata
from typing import Any

from bosim.analysis import Results
from bosim.scenario import scenario_to_dict

PACKAGES = ("simpy", "numpy", "scipy", "pandas", "pyarrow", "pydantic", "matplotlib")
FORMAT = "bosim-run"
"""``manifest.json``'s ``format`` for a run folder (comparisons and sweeps have their own)."""


def bosim_version() -> str:
    """The installed bosim version."""
    try:
        return metadata.version("bosim")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def package_version(package: str) -> str:
    """The installed version of a package, or ``not installed``."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def run_manifest(results: Results) -> dict[str, Any]:
    """The manifest of one run: resolved scenario, input hashes, seed, times, versions."""
    samples = sorted({record.sample for record in results.records})
    return {
        "format": FORMAT,
        "bosim_version": bosim_version(),
        "scenario_name": results.scenario.meta.name,
        "scenario_files": [
            {"path": source.path, "sha256": source.sha256}
            for source in getattr(results.scenario, "_sources", [])
        ],
        "scenario": scenario_to_dict(results.scenario),
        "seed": results.seed,
        "replications": results.replication_count,
        "samples": samples,
        "jobs": results.jobs,
        "started": results.started.isoformat(),
        "finished": results.finished.isoformat(),
        "python": platform.python_version(),
        "packages": {name: package_version(name) for name in PACKAGES},
        **results.extra_manifest,
    }
