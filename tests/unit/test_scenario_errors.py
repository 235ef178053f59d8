"""Bad input through the real command line: one test per rule of model.md section 2.

Every test runs ``python -m bosim.cli`` in a fresh ``tmp_path`` and checks what a user
sees: exit code 2, a message on stderr that names the file (or ``--set``) and the key
path, the fix where the loader gives one, no traceback, and for ``bosim run`` no results
folder (and no hidden partial folder) left behind.

The scenario files are given by relative names from ``tmp_path`` (as a user types them),
so a message line stays well under the 80 columns that rich wraps stderr at; the wrapping
of long paths is tested on its own (``test_long_file_path_is_not_broken_across_lines``).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

Cli = Callable[..., subprocess.CompletedProcess[str]]
Writer = Callable[..., Path]

RUN = ("run", "scenario.toml", "-o", "out", "-r", "1", "-q")
"""A fast run of ``scenario.toml`` into ``tmp_path/out``."""


def flat(text: str) -> str:
    """Whitespace collapsed, so a message wrapped at a space still matches."""
    return " ".join(text.split())


def files_under(folder: Path) -> set[str]:
    """Every file and folder below ``folder``, hidden ones included, as relative paths."""
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


def bad_input(tmp_path: Path, bosim_cli: Cli, *args: object) -> str:
    """Run bosim, check the common promises for bad input and return stderr, flattened."""
    before = files_under(tmp_path)
    result = bosim_cli(*args)
    report = f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    assert result.returncode == 2, report
    assert "Traceback" not in result.stderr, report
    assert "Traceback" not in result.stdout, report
    assert "internal error" not in result.stderr, report
    assert result.stderr.strip(), report
    assert not (tmp_path / "out").exists(), "a results folder was left behind"
    assert files_under(tmp_path) == before, "bosim left files behind: " + ", ".join(
        sorted(files_under(tmp_path) - before)
    )
    return flat(result.stderr)


# ------------------------------------------------------------------------ file syntax


def test_malformed_toml(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    path = write_scenario(replace=[("capacity = 5\n", "capacity = 5 5\n")])
    line = path.read_text().splitlines().index("capacity = 5 5") + 1

    stderr = bad_input(tmp_path, bosim_cli, "validate", "scenario.toml")

    assert "scenario.toml: is not valid TOML" in stderr
    assert f"line {line}," in stderr
    assert "fix: correct the TOML syntax at the line and column given" in stderr


def test_missing_file_validate(tmp_path: Path, bosim_cli: Cli) -> None:
    stderr = bad_input(tmp_path, bosim_cli, "validate", "nothere.toml")

    assert "nothere.toml: no such file" in stderr
    assert "fix: check the path and the file name" in stderr


def test_missing_file_run(tmp_path: Path, bosim_cli: Cli) -> None:
    stderr = bad_input(tmp_path, bosim_cli, "run", "nothere.toml", "-o", "out", "-r", "1", "-q")

    assert "error: nothere.toml: no such file" in stderr
    assert "fix: check the path and the file name" in stderr


def test_missing_extends_target(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario(text='extends = "nothere.toml"\n')

    stderr = bad_input(tmp_path, bosim_cli, "validate", "scenario.toml")

    assert "nothere.toml" in stderr
    assert "scenario.toml: extends:" in stderr


# ----------------------------------------------------------------------- unknown keys


def test_unknown_key_suggests_the_nearest(
    tmp_path: Path, bosim_cli: Cli, write_scenario: Writer
) -> None:
    write_scenario(replace=[("capacity = 5\n", "capasity = 5\n")])

    stderr = bad_input(tmp_path, bosim_cli, *RUN)

    assert "scenario.toml: places.hostel.capasity: unknown key 'capasity'" in stderr
    assert "fix: did you mean 'capacity'?" in stderr


def test_unknown_table_suggests_the_nearest(
    tmp_path: Path, bosim_cli: Cli, write_scenario: Writer
) -> None:
    write_scenario(replace=[("[simulation]", "[simulaton]")])

    stderr = bad_input(tmp_path, bosim_cli, "validate", "scenario.toml")

    assert "scenario.toml: simulaton: unknown key 'simulaton'" in stderr
    assert "fix: did you mean 'simulation'?" in stderr


# ---------------------------------------------------------------- values and numbers


def test_negative_capacity(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario(replace=[("capacity = 5\n", "capacity = -5\n")])

    stderr = bad_input(tmp_path, bosim_cli, *RUN)

    assert (
        "scenario.toml: places.hostel.capacity: capacity must be 0 or more units, got -5" in stderr
    )
    assert 'fix: write e.g. capacity = 12, capacity = "unlimited"' in stderr


def test_negative_cost(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario(replace=[("cost_per_occupied_day = 950", "cost_per_occupied_day = -950")])

    stderr = bad_input(tmp_path, bosim_cli, "validate", "scenario.toml")

    assert "scenario.toml: places.hostel.cost_per_occupied_day: must be >= 0" in stderr
    assert "got -950" in stderr
    assert "fix: use a value >= 0" in stderr


def test_negative_arrival_rate(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario(replace=[("arrivals_per_year = 5", "arrivals_per_year = -5")])

    stderr = bad_input(tmp_path, bosim_cli, "validate", "scenario.toml")

    assert "scenario.toml: segments.single.arrivals_per_year: must be >= 0" in stderr
    assert "constrained-float" not in stderr
    assert "valid list" not in stderr


def test_non_numeric_value(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario(replace=[("cost_per_occupied_day = 950", 'cost_per_occupied_day = "lots"')])

    stderr = bad_input(tmp_path, bosim_cli, *RUN)

    assert (
        "scenario.toml: places.hostel.cost_per_occupied_day: input should be a valid number, "
        "got 'lots'" in stderr
    )
    assert "fix: write a number" in stderr


def test_unknown_distribution_name(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario(replace=[('dist = "exponential"', 'dist = "expo"')])

    stderr = bad_input(tmp_path, bosim_cli, "validate", "scenario.toml")

    assert "scenario.toml: places.flat.stay.dist: unknown or missing distribution" in stderr
    assert "fix: use dist = one of 'exponential', 'gamma', 'lognormal'" in stderr


# ----------------------------------------------------------------- routes and places


def test_routes_not_summing_to_one(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario(replace=[("start = { flat = 1.0 }", "start = { flat = 0.5, hostel = 0.4 }")])

    stderr = bad_input(tmp_path, bosim_cli, *RUN)

    assert (
        "scenario.toml: segments.single.routes.start: route probabilities sum to 0.9, not 1"
        in stderr
    )
    assert "fix: make the probabilities add up to exactly 1" in stderr


def test_unknown_place_in_routes(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario(replace=[("start = { flat = 1.0 }", "start = { flta = 1.0 }")])

    stderr = bad_input(tmp_path, bosim_cli, "validate", "scenario.toml")

    assert "scenario.toml: segments.single.routes.start.flta: unknown destination 'flta'" in stderr
    assert "fix: did you mean 'flat'?" in stderr


def test_unknown_place_in_initial(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario(
        replace=[("initial = { hostel = 2, flat = 1 }", "initial = { hostle = 2, flat = 1 }")]
    )

    stderr = bad_input(tmp_path, bosim_cli, *RUN)

    assert "scenario.toml: segments.single.initial.hostle: unknown place 'hostle'" in stderr
    assert "fix: did you mean 'hostel'?" in stderr


def test_unknown_place_in_waiting_list(
    tmp_path: Path, bosim_cli: Cli, write_scenario: Writer
) -> None:
    write_scenario(replace=[('waiting = ["hostel", "street"]', 'waiting = ["hostel", "stret"]')])

    stderr = bad_input(tmp_path, bosim_cli, "validate", "scenario.toml")

    assert "scenario.toml: policy.waiting[1]: unknown place 'stret'" in stderr
    assert "fix: did you mean 'street'?" in stderr


def test_waiting_list_must_end_in_an_unlimited_place(
    tmp_path: Path, bosim_cli: Cli, write_scenario: Writer
) -> None:
    write_scenario(replace=[('waiting = ["hostel", "street"]', 'waiting = ["street", "hostel"]')])

    stderr = bad_input(tmp_path, bosim_cli, "validate", "scenario.toml")

    assert (
        "scenario.toml: policy.waiting: the last waiting place 'hostel' has limited capacity"
        in stderr
    )
    assert "fix: end the list with a place of unlimited capacity" in stderr


def test_initial_people_above_capacity(
    tmp_path: Path, bosim_cli: Cli, write_scenario: Writer
) -> None:
    write_scenario(
        replace=[("initial = { hostel = 2, flat = 1 }", "initial = { hostel = 2, flat = 9 }")]
    )

    stderr = bad_input(tmp_path, bosim_cli, *RUN)

    assert "scenario.toml: places.flat.capacity: 9 people start in 'flat', which has 4 units" in (
        stderr
    )
    assert "fix: raise the capacity to at least 9, or lower segments.*.initial.flat" in stderr


# --------------------------------------------------------------------------- extends


def test_extends_cycle(
    tmp_path: Path, bosim_cli: Cli, write_scenario: Writer, tiny_scenario: str
) -> None:
    write_scenario(text='extends = "b.toml"\n' + tiny_scenario)
    write_scenario(name="b.toml", text='extends = "scenario.toml"\n')

    stderr = bad_input(tmp_path, bosim_cli, *RUN)

    assert "scenario.toml: extends: extends makes a cycle:" in stderr
    # The chain is printed with absolute paths, which rich may break inside a word.
    chain = "".join(stderr.split())
    a, b = (str((tmp_path / name).resolve()) for name in ("scenario.toml", "b.toml"))
    assert f"{a}->{b}->{a}" in chain
    assert "fix: remove one of the extends lines so that no file extends itself" in stderr


def test_extends_itself(
    tmp_path: Path, bosim_cli: Cli, write_scenario: Writer, tiny_scenario: str
) -> None:
    write_scenario(text='extends = "scenario.toml"\n' + tiny_scenario)

    stderr = bad_input(tmp_path, bosim_cli, "validate", "scenario.toml")

    assert "scenario.toml: extends: extends makes a cycle:" in stderr
    assert "fix: remove one of the extends lines" in stderr


# ----------------------------------------------------------------------------- --set


def test_set_unknown_key(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario()

    stderr = bad_input(tmp_path, bosim_cli, *RUN, "--set", "places.hostel.capasity=3")

    assert "error: --set: places.hostel.capasity: unknown key 'capasity'" in stderr
    assert "fix: did you mean 'capacity'?" in stderr


def test_set_unknown_path_part(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario()

    stderr = bad_input(tmp_path, bosim_cli, *RUN, "--set", "plases.hostel.capacity=3")

    assert "error: --set: plases: unknown key 'plases'" in stderr
    assert "fix: did you mean 'places'?" in stderr


def test_set_unknown_place(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario()

    stderr = bad_input(tmp_path, bosim_cli, *RUN, "--set", "places.hostle.capacity=3")

    assert "error: --set: places.hostle: unknown key 'hostle'" in stderr
    assert "fix: did you mean 'hostel'?" in stderr


def test_set_unknown_segment(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario()

    stderr = bad_input(tmp_path, bosim_cli, *RUN, "--set", "segments.singel.arrivals_per_year=3")

    assert "error: --set: segments.singel: no segment called 'singel'" in stderr
    assert "fix: did you mean 'single'?" in stderr


def test_set_non_numeric_value(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario()

    stderr = bad_input(tmp_path, bosim_cli, *RUN, "--set", "simulation.years=ten")

    assert "error: --set: simulation.years: input should be a valid integer, got 'ten'" in stderr
    assert "fix: write a whole number" in stderr


def test_set_negative_capacity(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario()

    stderr = bad_input(tmp_path, bosim_cli, *RUN, "--set", "places.hostel.capacity=-3")

    assert "error: --set: places.hostel.capacity: capacity must be 0 or more units" in stderr
    assert 'fix: write e.g. capacity = 12, capacity = "unlimited"' in stderr


def test_set_without_equals_sign(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario()

    stderr = bad_input(tmp_path, bosim_cli, *RUN, "--set", "simulation.years")

    assert "error: --set: 'simulation.years' is not PATH=VALUE" in stderr
    assert "fix: write e.g. --set places.shelter.capacity=20" in stderr


# -------------------------------------------------------------- the command line itself


def test_bosim_entry_point_reports_bad_input(
    tmp_path: Path, bosim_cli: Cli, write_scenario: Writer
) -> None:
    program = shutil.which("bosim")
    assert program is not None, "the bosim command is not on PATH"
    write_scenario(replace=[("capacity = 5\n", "capacity = -5\n")])
    before = files_under(tmp_path)

    result = bosim_cli(*RUN, program=[program])

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "scenario.toml: places.hostel.capacity:" in flat(result.stderr)
    assert files_under(tmp_path) == before


def test_validate_reports_each_file(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario(name="good.toml")
    write_scenario(name="bad.toml", replace=[("capacity = 5\n", "capacity = -5\n")])

    result = bosim_cli("validate", "good.toml", "bad.toml")

    assert result.returncode == 2, result.stderr
    assert "good.toml: ok (3 places, 1 segment, 0 teams)" in result.stdout
    assert "bad.toml: places.hostel.capacity:" in flat(result.stderr)
    assert "good.toml" not in result.stderr
    assert "Traceback" not in result.stderr


def test_good_run_writes_the_folder(tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    """The control for the tests above: the same command on good input does write ``out``."""
    write_scenario()

    result = bosim_cli(*RUN)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "manifest.json").is_file()
    assert (tmp_path / "out" / "summary.csv").is_file()
    assert files_under(tmp_path) - {"scenario.toml"} == {
        str(Path("out") / name) for name in files_under(tmp_path / "out")
    } | {"out"}


def test_long_file_path_is_not_broken_across_lines(
    tmp_path: Path, bosim_cli: Cli, write_scenario: Writer
) -> None:
    folder = tmp_path / "scenarios_of_a_municipality_with_a_rather_long_folder_name"
    path = write_scenario(replace=[("capacity = 5\n", "capasity = 5\n")], folder=folder)
    assert len(str(path)) > 80

    result = bosim_cli("validate", path)

    assert result.returncode == 2
    assert f"{path}: places.hostel.capasity: unknown key 'capasity'" in (result.stderr.splitlines())
