"""The scenario loader through the Python API: extends, overrides, sources and errors."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bosim
from bosim.errors import InputError, InputErrors
from bosim.scenario import SourceFile, parse_override, with_overrides

Writer = Callable[..., Path]

CHILD = """\
extends = "../base/base.toml"

[meta]
name = "child"

[places.hostel]
capacity = 8

[[segments]]
name = "single"
arrivals_per_year = 9

[[segments]]
name = "family"
arrivals_per_year = 2
[segments.routes]
start = { hostel = 1.0 }
"""
"""Extends the tiny scenario from a sibling folder: one key of a place, one key of a
segment, and a new segment."""


@pytest.fixture
def family(tmp_path: Path, write_scenario: Writer) -> tuple[Path, Path]:
    """``project/base/base.toml`` (the tiny scenario) and ``project/child/child.toml``."""
    project = tmp_path / "project"
    base = write_scenario(name="base.toml", folder=project / "base")
    child = write_scenario(name="child.toml", text=CHILD, folder=project / "child")
    return base, child


def only_error(error: InputError) -> InputError:
    """The single error inside an InputErrors (or the error itself)."""
    errors = error.errors if isinstance(error, InputErrors) else [error]
    assert len(errors) == 1, str(error)
    return errors[0]


# --------------------------------------------------------------------------- extends


def test_extends_child_overrides_one_key_of_a_place(family: tuple[Path, Path]) -> None:
    _, child = family

    scenario = bosim.load_scenario(child)

    hostel = scenario.places["hostel"]
    assert hostel.capacity == 8
    assert hostel.kind == "acute"  # kept from the parent
    assert hostel.cost_per_occupied_day == 950  # kept from the parent
    assert scenario.places["flat"].capacity == 4
    assert scenario.place_names() == ["street", "hostel", "flat"]
    assert scenario.meta.name == "child"
    assert scenario.simulation.years == 1
    assert scenario.policy.waiting == ["hostel", "street"]


def test_extends_replaces_a_distribution_whole(tmp_path: Path, write_scenario: Writer) -> None:
    """A child's exponential stay over the parent's gamma does not inherit its cv."""
    base = write_scenario(name="base.toml", replace=[(
        'stay = { dist = "exponential", mean = 200 }',
        'stay = { dist = "gamma", mean = 200, cv = 0.5 }')])
    child = tmp_path / "child.toml"
    child.write_text(f'extends = "{base.name}"\n[places.flat]\n'
                     'stay = { dist = "exponential", mean = 90 }\n', encoding="utf-8")
    stay = bosim.load_scenario(child).places["flat"].stay
    assert stay is not None
    assert (stay.dist, stay.mean) == ("exponential", 90)


def test_extends_merges_segments_by_name(family: tuple[Path, Path]) -> None:
    _, child = family

    scenario = bosim.load_scenario(child)

    assert [s.name for s in scenario.segments] == ["single", "family"]
    single = scenario.segment("single")
    assert single.arrivals_per_year == 9
    assert single.initial == {"hostel": 2, "flat": 1}  # kept from the parent
    assert single.routes == {"start": {"flat": 1.0}, "flat": {"exit": 1.0}}
    assert scenario.segment("family").routes == {"start": {"hostel": 1.0}}
    assert scenario.segment("family").initial == {}


def test_extends_resolves_the_parent_from_the_childs_folder(
    tmp_path: Path,
    family: tuple[Path, Path],
    write_scenario: Writer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, child = family
    # From this working folder, "../base/base.toml" is a different, decoy file.
    elsewhere = tmp_path / "elsewhere" / "work"
    write_scenario(
        name="base.toml",
        folder=tmp_path / "elsewhere" / "base",
        replace=[("cost_per_occupied_day = 950", "cost_per_occupied_day = 1")],
    )
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)

    scenario = bosim.load_scenario(child)

    assert scenario.places["hostel"].cost_per_occupied_day == 950


def test_extends_with_a_relative_child_path(
    tmp_path: Path, family: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _ = family
    monkeypatch.chdir(tmp_path)

    scenario = bosim.load_scenario("project/child/child.toml")

    assert scenario.places["hostel"].capacity == 8
    assert [Path(s.path).resolve() for s in scenario._sources] == [
        base.resolve(),
        (tmp_path / "project" / "child" / "child.toml").resolve(),
    ]


def test_extends_chain_of_three_files(tmp_path: Path, write_scenario: Writer) -> None:
    write_scenario(name="a.toml")
    write_scenario(name="b.toml", text='extends = "a.toml"\n[places.flat]\ncapacity = 6\n')
    c = write_scenario(name="c.toml", text='extends = "b.toml"\n[places.hostel]\ncapacity = 7\n')

    scenario = bosim.load_scenario(c)

    assert scenario.places["flat"].capacity == 6
    assert scenario.places["hostel"].capacity == 7
    assert scenario.places["hostel"].cost_per_occupied_day == 950
    assert [Path(s.path).name for s in scenario._sources] == ["a.toml", "b.toml", "c.toml"]


# ------------------------------------------------------------------------ sources


def test_sources_record_every_file_with_its_sha256(family: tuple[Path, Path]) -> None:
    base, child = family

    scenario = bosim.load_scenario(child)

    sources = scenario._sources
    assert all(isinstance(source, SourceFile) for source in sources)
    assert [Path(s.path).resolve() for s in sources] == [base.resolve(), child.resolve()]
    assert [s.sha256 for s in sources] == [
        hashlib.sha256(base.read_bytes()).hexdigest(),
        hashlib.sha256(child.read_bytes()).hexdigest(),
    ]


def test_sources_of_a_single_file(write_scenario: Writer) -> None:
    path = write_scenario()

    scenario = bosim.load_scenario(path)

    assert scenario._sources == [
        SourceFile(str(path), hashlib.sha256(path.read_bytes()).hexdigest())
    ]


def test_with_overrides_keeps_the_sources(family: tuple[Path, Path]) -> None:
    _, child = family
    scenario = bosim.load_scenario(child)

    changed = with_overrides(scenario, {"places.flat.capacity": 16})

    assert changed._sources == scenario._sources
    assert len(changed._sources) == 2


# ----------------------------------------------------------------------- overrides


def test_override_place_capacity(write_scenario: Writer) -> None:
    path = write_scenario()

    scenario = bosim.load_scenario(path, overrides={"places.flat.capacity": 16})

    assert scenario.places["flat"].capacity == 16
    assert scenario.places["flat"].stay is not None  # the rest of the place is kept
    assert scenario.places["hostel"].capacity == 5


def test_override_segment_by_name(family: tuple[Path, Path]) -> None:
    _, child = family

    scenario = bosim.load_scenario(child, overrides={"segments.family.arrivals_per_year": 20})

    assert scenario.segment("family").arrivals_per_year == 20
    assert scenario.segment("single").arrivals_per_year == 9


def test_command_line_override_values_are_read_as_toml(write_scenario: Writer) -> None:
    path = write_scenario()
    texts = [
        "places.flat.capacity=16",
        'places.hostel.capacity="unlimited"',
        "segments.single.arrivals_per_year=[3, 4.5]",
        "economics.perspective=society",  # a bare word; a table the file leaves out
        "simulation.seed=7",
        "simulation.years=2",  # one arrival rate per observed year
    ]

    scenario = bosim.load_scenario(path, overrides=dict(parse_override(t) for t in texts))

    assert scenario.places["flat"].capacity == 16
    assert isinstance(scenario.places["flat"].capacity, int)
    assert scenario.places["hostel"].capacity == "unlimited"
    assert scenario.segment("single").arrivals_per_year == [3, 4.5]
    assert scenario.economics.perspective == "society"
    assert scenario.simulation.seed == 7
    assert scenario.simulation.years == 2


def test_override_on_a_missing_segment_is_an_error(family: tuple[Path, Path]) -> None:
    _, child = family

    with pytest.raises(InputError) as caught:
        bosim.load_scenario(child, overrides={"segments.nobody.arrivals_per_year": 20})

    error = only_error(caught.value)
    assert error.file == "overrides"
    assert error.key == "segments.nobody"
    assert "no segment called 'nobody'" in error.message
    assert error.fix is not None
    assert "'single'" in error.fix
    assert "'family'" in error.fix


def test_override_on_an_unknown_key_suggests_the_nearest(write_scenario: Writer) -> None:
    path = write_scenario()

    with pytest.raises(InputError) as caught:
        bosim.load_scenario(path, overrides={"places.flat.capasity": 16})

    error = only_error(caught.value)
    assert (error.file, error.key) == ("overrides", "places.flat.capasity")
    assert error.fix == "did you mean 'capacity'?"


def test_override_with_a_bad_value_names_set(write_scenario: Writer) -> None:
    path = write_scenario()

    with pytest.raises(InputErrors) as caught:
        bosim.load_scenario(path, overrides={"places.flat.capacity": -1})

    error = only_error(caught.value)
    assert (error.file, error.key) == ("overrides", "places.flat.capacity")
    assert "-1" in error.message


def test_with_overrides_returns_a_changed_copy(write_scenario: Writer) -> None:
    scenario = bosim.load_scenario(write_scenario())

    changed = bosim.with_overrides(
        scenario,
        {"places.flat.capacity": 16, "segments.single.arrivals_per_year": 20},
    )

    assert changed.places["flat"].capacity == 16
    assert changed.segment("single").arrivals_per_year == 20
    assert scenario.places["flat"].capacity == 4  # the original is untouched
    assert scenario.segment("single").arrivals_per_year == 5


def test_with_overrides_on_a_missing_segment_is_an_error(write_scenario: Writer) -> None:
    scenario = bosim.load_scenario(write_scenario())

    with pytest.raises(InputError) as caught:
        with_overrides(scenario, {"segments.nobody.arrivals_per_year": 20})

    error = only_error(caught.value)
    assert (error.file, error.key) == ("overrides", "segments.nobody")
    assert error.fix == "known names: 'single'"


def test_with_overrides_validates_again(write_scenario: Writer) -> None:
    scenario = bosim.load_scenario(write_scenario())

    with pytest.raises(InputErrors) as caught:
        with_overrides(scenario, {"places.flat.capacity": 0})

    error = only_error(caught.value)
    assert error.key == "places.flat.capacity"
    assert "1 people start in 'flat', which has 0 units" in error.message


# ------------------------------------------------------------------- parse_override


def test_parse_override_reads_the_value_as_toml() -> None:
    assert parse_override("places.shared_rop.capacity=16") == ("places.shared_rop.capacity", 16)
    assert parse_override(" segments.x.arrivals_per_year = 2.5 ") == (
        "segments.x.arrivals_per_year",
        2.5,
    )
    assert parse_override("places.x.capacity=[12, 12, 16]") == ("places.x.capacity", [12, 12, 16])
    assert parse_override("economics.perspective=society") == ("economics.perspective", "society")
    assert parse_override("meta.name=a=b") == ("meta.name", "a=b")


def test_parse_override_without_equals_sign() -> None:
    with pytest.raises(InputError) as caught:
        parse_override("places.x.capacity")

    assert caught.value.file == "--set"
    assert "is not PATH=VALUE" in caught.value.message
    assert caught.value.fix == "write e.g. --set places.shelter.capacity=20"


@given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_parse_override_integers(number: int) -> None:
    assert parse_override(f"places.x.capacity={number}") == ("places.x.capacity", number)


def test_quoted_set_value_stays_a_string(write_scenario: Writer) -> None:
    path = write_scenario()

    scenario = bosim.load_scenario(path, dict([parse_override('meta.name="2025"')]))

    assert scenario.meta.name == "2025"


def test_python_override_values_are_used_as_given(write_scenario: Writer) -> None:
    scenario = bosim.load_scenario(write_scenario(), {"meta.name": "2025"})
    assert scenario.meta.name == "2025"
    with pytest.raises(InputError) as caught:
        bosim.load_scenario(write_scenario(), {"places.flat.capacity": "16"})
    assert "capacity" in str(caught.value)


# -------------------------------------------------------------- errors: .file, .key


def test_error_in_the_child_names_the_child(
    family: tuple[Path, Path], write_scenario: Writer
) -> None:
    _, child = family
    write_scenario(
        name="child.toml",
        folder=child.parent,
        text=CHILD,
        replace=[("capacity = 8", "capacity = -8")],
    )

    with pytest.raises(InputErrors) as caught:
        bosim.load_scenario(child)

    error = only_error(caught.value)
    assert error.file == str(child)
    assert error.key == "places.hostel.capacity"
    assert "got -8" in error.message
    assert str(error).startswith(f"{child}: places.hostel.capacity: ")


def test_error_in_the_parent_names_the_parent(
    family: tuple[Path, Path], write_scenario: Writer
) -> None:
    base, child = family
    write_scenario(
        name="base.toml",
        folder=base.parent,
        replace=[("flat = { exit = 1.0 }", "flat = { exit = 0.5 }")],
    )

    with pytest.raises(InputErrors) as caught:
        bosim.load_scenario(child)

    error = only_error(caught.value)
    assert error.file is not None
    assert Path(error.file).resolve() == base.resolve()
    assert error.key == "segments.single.routes.flat"
    assert "sum to 0.5" in error.message


def test_cross_reference_error_has_key_file_and_fix(write_scenario: Writer) -> None:
    path = write_scenario(replace=[("start = { flat = 1.0 }", "start = { flta = 1.0 }")])

    with pytest.raises(InputErrors) as caught:
        bosim.load_scenario(path)

    error = only_error(caught.value)
    assert error.file == str(path)
    assert error.key == "segments.single.routes.start.flta"
    assert error.message == "unknown destination 'flta'"
    assert error.fix == "did you mean 'flat'?"


def test_several_errors_are_reported_together(write_scenario: Writer) -> None:
    path = write_scenario(
        replace=[
            ("start = { flat = 1.0 }", "start = { flta = 1.0 }"),
            ("initial = { hostel = 2, flat = 1 }", "initial = { hostle = 2, flat = 1 }"),
        ]
    )

    with pytest.raises(InputErrors) as caught:
        bosim.load_scenario(path)

    keys = sorted(error.key or "" for error in caught.value.errors)
    assert keys == ["segments.single.initial.hostle", "segments.single.routes.start.flta"]
    assert all(error.file == str(path) for error in caught.value.errors)
    text = str(caught.value)
    assert "unknown place 'hostle'" in text
    assert "unknown destination 'flta'" in text


def test_unknown_key_error_attributes(write_scenario: Writer) -> None:
    path = write_scenario(replace=[("capacity = 5\n", "capasity = 5\n")])

    with pytest.raises(InputErrors) as caught:
        bosim.load_scenario(path)

    error = only_error(caught.value)
    assert (error.file, error.key) == (str(path), "places.hostel.capasity")
    assert error.fix == "did you mean 'capacity'?"


def test_extends_cycle_error_attributes(tmp_path: Path, write_scenario: Writer) -> None:
    a = write_scenario(name="a.toml", text='extends = "b.toml"\n')
    write_scenario(name="b.toml", text='extends = "a.toml"\n')

    with pytest.raises(InputError) as caught:
        bosim.load_scenario(a)

    error = only_error(caught.value)
    assert error.key == "extends"
    assert error.file is not None
    assert Path(error.file).resolve() == a.resolve()
    assert "cycle" in error.message
    assert str(tmp_path / "b.toml") in error.message


def test_missing_file_error_attributes(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        bosim.load_scenario(tmp_path / "nothere.toml")

    assert caught.value.file == str(tmp_path / "nothere.toml")
    assert caught.value.message == "no such file"


# ------------------------------------------------------------------- command line


def test_valid_scenario_passes_validate(
    bosim_cli: Callable[..., subprocess.CompletedProcess[str]], write_scenario: Writer
) -> None:
    write_scenario()

    result = bosim_cli("validate", "scenario.toml")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "scenario.toml: ok (3 places, 1 segment, 0 teams)"
    assert result.stderr == ""


def test_valid_child_scenario_passes_validate(
    tmp_path: Path,
    family: tuple[Path, Path],
    bosim_cli: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    result = bosim_cli("validate", "child.toml", cwd=tmp_path / "project" / "child")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "child.toml: ok (3 places, 2 segments, 0 teams)"
