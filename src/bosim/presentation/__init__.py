"""The presentation layer: figures and self-contained HTML reports, in English and bokmål."""

from bosim.presentation.comparison_report import render_comparison_report
from bosim.presentation.run_report import render_run_report
from bosim.presentation.sweep_report import render_sweep_report

__all__ = ["render_comparison_report", "render_run_report", "render_sweep_report"]
