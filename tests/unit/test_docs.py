"""The documentation in docs/ is generated from the code and checked against what bosim writes.

- docs/scenario.md, metrics.md and outputs.md are what ``docs/make_docs.py`` generates;
- every field of every scenario model has a description (its attribute docstring), and
  every number states its unit;
- every metric is in docs/metrics.md;
- the documented output schema (``bosim.outputs.schema``) is exactly what bosim writes:
  real run, comparison and sweep folders are written and every file's columns compared,
  in order;
- the examples in docs/scenario.md load, links between the pages resolve, and nothing in
  the repository points outside it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
import typing
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd
import pytest
from pandas.api import types as dtypes
from pydantic import BaseModel

import bosim
import bosim.api
from bosim.analysis.metric_table import METRICS
from bosim.engine.record import EventKind
from bosim.outputs import schema
from bosim.outputs.comparison_folder import plan_folder
from bosim.outputs.psa_folder import write_psa_folder
from bosim.presentation.psa_report import render_psa_report
from bosim.records import tables
from bosim.scenario import distributions, load_scenario, model, scenario_from_dict
from bosim.scenario import with_overrides as scenario_with_overrides
from conftest import TINY_REGISTER, TINY_SCENARIO

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
GENERATED = ("scenario.md", "metrics.md", "outputs.md")
PAGES = ("README.md", "scenario.md", "metrics.md", "outputs.md", "model.md", "sources.md")


# --------------------------------------------------------------------------- (a) generated pages


def make_docs(*args: str, docs: Path = DOCS) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(docs / "make_docs.py"), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )


def test_every_page_exists() -> None:
    missing = [page for page in PAGES if not (DOCS / page).is_file()]
    assert not missing, f"docs/ is missing {missing}"


def test_generated_pages_are_up_to_date() -> None:
    done = make_docs("--check")
    assert done.returncode == 0, (
        "the generated docs differ from the code; run python docs/make_docs.py\n"
        + done.stdout + done.stderr
    )


def test_the_check_names_a_stale_page(tmp_path: Path) -> None:
    """The check can fail: a copy of docs/ with one page edited by hand is reported."""
    copy = tmp_path / "docs"
    shutil.copytree(DOCS, copy)
    page = copy / "outputs.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nedited by hand\n", encoding="utf-8")
    done = make_docs("--check", docs=copy)
    assert done.returncode == 1
    assert "outputs.md" in done.stderr
    assert "scenario.md" not in done.stderr
    assert page.read_text(encoding="utf-8").endswith("edited by hand\n"), "--check wrote"


def test_generated_pages_say_how_they_are_made() -> None:
    for name in GENERATED:
        first = (DOCS / name).read_text(encoding="utf-8").splitlines()[0]
        assert "make_docs.py" in first, f"docs/{name} does not say it is generated"


# --------------------------------------------------------------------------- (b) scenario fields


def models_in(annotation: object) -> Iterator[type[BaseModel]]:
    """Every pydantic model a type annotation refers to, however deeply nested."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from models_in(argument)


def scenario_models() -> list[type[BaseModel]]:
    """Every model reachable from Scenario, and every public model of the two modules."""
    found: dict[str, type[BaseModel]] = {}
    pending: list[type[BaseModel]] = [model.Scenario]
    while pending:
        current = pending.pop()
        if current.__qualname__ in found:
            continue
        found[current.__qualname__] = current
        for field in current.model_fields.values():
            pending.extend(models_in(field.annotation))
    for module in (model, distributions):
        for name, value in vars(module).items():
            if (isinstance(value, type) and issubclass(value, BaseModel)
                    and value.__module__ == module.__name__ and not name.startswith("_")):
                found.setdefault(value.__qualname__, value)
    return sorted(found.values(), key=lambda cls: cls.__qualname__)


FIELDS = [(cls, name) for cls in scenario_models() for name in cls.model_fields]


def test_the_walk_finds_the_nested_models() -> None:
    names = {cls.__name__ for cls in scenario_models()}
    assert {"Scenario", "Place", "Segment", "Team", "Crisis", "CrisisOutcomes", "EventPrice",
            "Gamma", "Empirical"} <= names


@pytest.mark.parametrize(("cls", "name"), FIELDS, ids=[f"{c.__name__}.{n}" for c, n in FIELDS])
def test_every_scenario_field_has_a_description(cls: type[BaseModel], name: str) -> None:
    description = cls.model_fields[name].description
    assert description and description.strip(), (
        f"{cls.__name__}.{name} has no description: give it an attribute docstring "
        "(the model's ConfigDict needs use_attribute_docstrings=True)"
    )


def number_fields() -> list[tuple[type[BaseModel], str]]:
    """Fields holding real numbers (float), alone or in lists and tables."""
    def has_float(annotation: object) -> bool:
        return annotation is float or any(has_float(a) for a in typing.get_args(annotation))
    return [(cls, name) for cls, name in FIELDS
            if has_float(cls.model_fields[name].annotation)
            and not any(models_in(cls.model_fields[name].annotation))]


NUMBERS = number_fields()


@pytest.mark.parametrize(("cls", "name"), NUMBERS,
                         ids=[f"{c.__name__}.{n}" for c, n in NUMBERS])
def test_every_number_states_its_unit(cls: type[BaseModel], name: str) -> None:
    description = " ".join((cls.model_fields[name].description or "").split())
    assert re.search(r"Unit: [^.]+\.?$", description), (
        f"{cls.__name__}.{name}: end its docstring with 'Unit: <unit>.' "
        "(days, people per year, money per unit-day, ...)"
    )


# --------------------------------------------------------------------------- (c) metrics


@pytest.mark.parametrize("name", [metric.name for metric in METRICS])
def test_every_metric_is_documented(name: str) -> None:
    assert f"`{name}`" in (DOCS / "metrics.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- (d) output schema

TYPE_CHECKS = {
    "whole number": dtypes.is_integer_dtype,
    "number": lambda dtype: dtypes.is_numeric_dtype(dtype) and not dtypes.is_bool_dtype(dtype),
    "text": lambda dtype: dtypes.is_object_dtype(dtype) or dtypes.is_string_dtype(dtype),
}
"""How a documented column type shows in a Parquet file read back with pandas."""


def read_columns(path: Path) -> tuple[list[str], pd.DataFrame | None]:
    """The columns (or keys, for JSON) of a written file, and the frame when it is Parquet."""
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        return list(frame.columns), frame
    if path.suffix == ".csv":
        return list(pd.read_csv(path, nrows=0).columns), None
    if path.suffix == ".xlsx":
        return list(pd.read_excel(path, nrows=0).columns), None
    if path.suffix == ".json":
        return list(json.loads(path.read_text(encoding="utf-8"))), None
    return [], None


def documented_names(output: schema.OutputFile, varied: list[str]) -> list[str]:
    """The documented columns, with the sweep's varied keys in place of their stand-in."""
    names: list[str] = []
    for column in output.columns:
        names.extend(varied if column is schema.VARIED else [column.name])
    return names


def mismatches(folder: Path, documented: schema.Folder, varied: Sequence[str] = ()) -> list[str]:
    """Every way a written folder differs from its documented schema (empty: none)."""
    problems: list[str] = []
    written = {path.name + ("/" if path.is_dir() else "") for path in folder.iterdir()}
    expected = {output.name.split("/")[0] + ("/" if "/" in output.name else "")
                for output in documented.files}
    problems.extend(f"{name} is written but not documented" for name in written - expected)
    for output in documented.files:
        if output.name.endswith("/"):
            parent = folder / output.name.split("/")[0]
            if not parent.is_dir() or not any(parent.iterdir()):
                problems.append(f"{output.name} is documented but not written")
            continue
        path = folder / output.name
        if not path.exists():
            if not output.only:
                problems.append(f"{output.name} is documented but not written")
            continue
        actual, frame = read_columns(path)
        if path.suffix == ".json":
            required = [c.name for c in output.columns if not c.only]
            problems.extend(f"{output.name}: key {key!r} is documented but not written"
                            for key in required if key not in actual)
            known = set(output.column_names)
            problems.extend(f"{output.name}: key {key!r} is written but not documented"
                            for key in actual if key not in known)
            continue
        wanted = documented_names(output, list(varied))
        if actual != wanted:
            problems.append(f"{output.name}: written columns {actual}, documented {wanted}")
            continue
        if frame is not None:
            for column in output.columns:
                check = TYPE_CHECKS.get(column.type)
                if check and column.name in frame and not check(frame[column.name].dtype):
                    problems.append(f"{output.name}: {column.name} is {frame[column.name].dtype}"
                                    f", documented as {column.type}")
    return problems


def tiny() -> model.Scenario:
    """The tiny scenario with a price on every kind of place cost line."""
    return scenario_from_dict(tomllib.loads(TINY_SCENARIO), overrides={
        "places.flat.cost_per_unit_day": 200.0,
        "places.flat.cost_per_admission": 1000.0,
    })


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    results = bosim.simulate(tiny(), trace=True)
    return bosim.save(results, tmp_path_factory.mktemp("docs") / "run")


@pytest.fixture(scope="module")
def comparison_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tiny()
    more = scenario_with_overrides(base, {"places.flat.capacity": 6})
    comparison = bosim.compare(base, more, names=["base", "More flats"])
    return bosim.save(comparison, tmp_path_factory.mktemp("docs") / "comparison")


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sweep = bosim.sweep(tiny(), {"places.flat.capacity": [3, 4]})
    return bosim.save(sweep, tmp_path_factory.mktemp("docs") / "sweep")


def test_run_folder_matches_the_schema(run_folder: Path) -> None:
    assert mismatches(run_folder, schema.RUN_FOLDER) == []
    assert (run_folder / "events.parquet").exists(), "the run was traced"


def test_comparison_folder_matches_the_schema(comparison_folder: Path) -> None:
    assert mismatches(comparison_folder, schema.COMPARISON_FOLDER) == []
    manifest = json.loads((comparison_folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["runs"] == {name: plan_folder(name) for name in ("base", "More flats")}
    for name, folder in manifest["runs"].items():
        plan = comparison_folder / folder
        assert mismatches(plan, schema.RUN_FOLDER) == [], name
        plan_manifest = json.loads((plan / "manifest.json").read_text(encoding="utf-8"))
        assert plan_manifest["plan"] == name


def test_sweep_folder_matches_the_schema(sweep_folder: Path) -> None:
    assert mismatches(sweep_folder, schema.SWEEP_FOLDER, ["places.flat.capacity"]) == []


@pytest.fixture(scope="module")
def psa_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = scenario_from_dict(tomllib.loads(TINY_SCENARIO + TINY_REGISTER))
    more = scenario_with_overrides(base, {"places.flat.capacity": 6})
    analysis = bosim.api.psa(base, more, draws=2, replications=2, names=["base", "more"],
                             sobol=True)
    page = render_psa_report(analysis, 1e6).encode("utf-8")
    return write_psa_folder(analysis, tmp_path_factory.mktemp("docs") / "psa", 1e6,
                            extra={"report.html": page})


def test_psa_folder_matches_the_schema(psa_folder: Path) -> None:
    assert (psa_folder / "sobol.csv").exists(), "written with --sobol: every file is there"
    assert mismatches(psa_folder, schema.PSA_FOLDER) == []


def test_the_schema_check_can_fail(run_folder: Path, tmp_path: Path) -> None:
    """A column added to (or a file added to) a folder but not the schema is reported."""
    copy = tmp_path / "run"
    shutil.copytree(run_folder, copy)
    frame = pd.read_parquet(copy / "flows.parquet")
    frame.assign(extra=1).to_parquet(copy / "flows.parquet", index=False)
    (copy / "notes.txt").write_text("", encoding="utf-8")
    (copy / "spells.parquet").unlink()
    problems = mismatches(copy, schema.RUN_FOLDER)
    assert any(p.startswith("flows.parquet: written columns") for p in problems)
    assert "notes.txt is written but not documented" in problems
    assert "spells.parquet is documented but not written" in problems


def test_the_documented_values_are_those_of_the_code() -> None:
    assert {term.value for term in schema.EVENT_KINDS} == {kind.value for kind in EventKind}
    assert ({term.value for term in schema.SPELL_ENDINGS}
            == set(tables.SPELL_ENDINGS.values()))
    assert {term.value for term in schema.PAYERS} == set(typing.get_args(model.Payer))
    assert schema.ARRIVAL_ORIGIN == tables.ARRIVAL
    assert schema.EXIT_DESTINATION == tables.EXIT


def test_written_values_are_documented(run_folder: Path) -> None:
    scenario = tiny()
    places = set(scenario.places)
    events = pd.read_parquet(run_folder / "events.parquet")
    assert set(events.event) <= {term.value for term in schema.EVENT_KINDS}
    assert set(events.place) <= places | {""}
    spells = pd.read_parquet(run_folder / "spells.parquet")
    assert set(spells.ending) <= {term.value for term in schema.SPELL_ENDINGS}
    flows = pd.read_parquet(run_folder / "flows.parquet")
    assert set(flows.origin) <= places | {schema.ARRIVAL_ORIGIN}
    assert set(flows.destination) <= places | {schema.EXIT_DESTINATION}
    costs = pd.read_parquet(run_folder / "costs.parquet")
    assert set(costs.payer) <= {term.value for term in schema.PAYERS}
    patterns = [re.escape(term.value).replace("<place>", "(?P<place>[^/]+)")
                .replace("<team>", "(?P<team>[^/]+)") for term in schema.COST_ITEMS]
    for item in set(costs["item"]):
        match = next((re.fullmatch(p, item) for p in patterns if re.fullmatch(p, item)), None)
        assert match is not None, f"cost item {item!r} is not documented"
        assert match.groupdict().get("place") in (None, *places)
    assert len(set(costs["item"])) >= 3, "the tiny scenario prices three kinds of line"


# --------------------------------------------------------------------------- examples and links


def toml_blocks(page: str) -> list[str]:
    return re.findall(r"```toml\n(.*?)```", (DOCS / page).read_text(encoding="utf-8"), re.S)


def test_the_scenario_page_examples_load(tmp_path: Path) -> None:
    complete, extended, *_ = toml_blocks("scenario.md")
    (tmp_path / "small_town.toml").write_text(complete, encoding="utf-8")
    (tmp_path / "bigger.toml").write_text(extended, encoding="utf-8")
    small = load_scenario(tmp_path / "small_town.toml")
    bigger = load_scenario(tmp_path / "bigger.toml")
    assert small.places["bofellesskap"].capacity == 8
    assert bigger.places["bofellesskap"].capacity == 12
    assert bigger.segment("chronic").arrivals_per_year == 6


def test_the_model_page_examples_are_valid_toml() -> None:
    for block in toml_blocks("model.md"):
        tomllib.loads(block)


def test_links_between_pages_resolve() -> None:
    for page in PAGES:
        text = (DOCS / page).read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if not re.match(r"[a-z]+:", target):
                assert (DOCS / target).exists(), f"docs/{page} links to a missing {target}"


# --------------------------------------------------------------------------- (e) no outside paths

FORBIDDEN = ("../" + "shared", "/" + "work" + "/")
"""Paths outside the repository (written so that this file does not contain them)."""
SCANNED = ("docs", "scenarios", "notebooks", "src", "README.md")
SKIPPED_FOLDERS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}


def repository_text_files() -> Iterator[Path]:
    for name in SCANNED:
        top = ROOT / name
        paths = [top] if top.is_file() else sorted(top.rglob("*"))
        for path in paths:
            parts = set(path.relative_to(ROOT).parts)
            if (path.is_file() and not parts & SKIPPED_FOLDERS
                    and not any(part.endswith(".egg-info") for part in parts)):
                yield path


def test_nothing_points_outside_the_repository() -> None:
    found = []
    for path in repository_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary files (images, spreadsheets)
        for number, line in enumerate(text.splitlines(), start=1):
            if any(forbidden in line for forbidden in FORBIDDEN):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not found, "cite docs/sources.md or the source by name instead:\n" + "\n".join(found)
