"""The outputs layer: results folders written whole (never over a user's files) and read back."""

from bosim.outputs.comparison_folder import (
    is_comparison_folder,
    load_comparison_folder,
    write_comparison_folder,
)
from bosim.outputs.folder import check_output_dir, default_output_dir
from bosim.outputs.manifest import bosim_version
from bosim.outputs.run_folder import SavedRun, is_run_folder, load_run_folder, write_run_folder
from bosim.outputs.sweep_folder import is_sweep_folder, load_sweep_folder, write_sweep_folder

__all__ = [
    "SavedRun",
    "bosim_version",
    "check_output_dir",
    "default_output_dir",
    "is_comparison_folder",
    "is_run_folder",
    "is_sweep_folder",
    "load_comparison_folder",
    "load_run_folder",
    "load_sweep_folder",
    "write_comparison_folder",
    "write_run_folder",
    "write_sweep_folder",
]
