"""The analysis layer: metrics, money, comparisons and sweeps, computed from records.

Nothing here simulates, reads or writes files: every function takes records (or results
holding them) and returns numbers and tables.
"""

from bosim.analysis.comparison import Comparison, compare_results, dominance
from bosim.analysis.metric_table import METRICS, Metric, metric
from bosim.analysis.results import Results
from bosim.analysis.sweep import Sweep, sweep_results

__all__ = [
    "METRICS",
    "Comparison",
    "Metric",
    "Results",
    "Sweep",
    "compare_results",
    "dominance",
    "metric",
    "sweep_results",
]
