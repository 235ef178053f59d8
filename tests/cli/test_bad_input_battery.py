"""A battery of hostile and broken inputs: nothing breaks, nothing is lost.

Every case is something a user can type or write (a scenario file, a ``--set``, a
command option, a folder) that bosim must refuse with exit code 2, a message naming the
key (or the file or option) and no traceback, leaving no file behind. The cases are
organised by rule (:data:`RULES`); each runs the real command line in this process
(``bosim.cli.main`` with its arguments), and a few run as real subprocesses
(:func:`test_some_cases_as_a_user_runs_them`).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pytest

from bosim.cli import main
from conftest import TINY_SCENARIO

RUN = ("run", "scenario.toml", "-o", "out", "-r", "1", "-q")
"""A fast run of ``scenario.toml`` into ``out``."""


@dataclass(frozen=True)
class Case:
    """One bad input: the files to write, the command, and what the message must name."""

    rule: str
    name: str
    args: tuple[str, ...]
    names: tuple[str, ...]
    """Texts the message must contain (the key path, the file or the option)."""
    replace: tuple[tuple[str, str], ...] = ()
    """Exact replacements in :data:`TINY_SCENARIO` for ``scenario.toml``."""
    files: dict[str, bytes | str] = field(default_factory=dict)
    """Further files to write, by relative path."""
    prepare: Callable[[Path], None] | None = None
    """A step to run in the folder before the command (e.g. make a read-only folder)."""


def case(rule: str, name: str, args: tuple[str, ...], *names: str, **more: object) -> Case:
    return Case(rule, name, args, names, **more)  # type: ignore[arg-type]


def set_(*pairs: str) -> tuple[str, ...]:
    """``RUN`` with ``--set`` overrides."""
    return (*RUN, *(part for pair in pairs for part in ("--set", pair)))


def with_stay(stay: str, route: str = "{ flat = 1.0 }") -> tuple[tuple[str, str], ...]:
    """Replacements giving ``flat`` the stay ``stay`` and the route ``route`` out of it."""
    return (
        ('stay = { dist = "exponential", mean = 200 }', f"stay = {stay}"),
        ("flat = { exit = 1.0 }", f"flat = {route}"),
    )


TEAM = """
[teams.staff]
serves = ["flat"]
fte = 2.0
hours = "24/7"
handling_hours = { dist = "exponential", mean = 1.0 }
"""
TINY_WITH_TEAM = TINY_SCENARIO.replace("[[segments]]", TEAM + "\n[[segments]]")
BIG = ("segments.single.arrivals_per_year=9000000", "simulation.years=100")
"""Overrides that make the tiny scenario far too large for any machine."""


def read_only_folder(folder: Path) -> None:
    (folder / "locked").mkdir()
    (folder / "locked").chmod(0o555)


def a_results_folder(folder: Path) -> None:
    (folder / "out").mkdir()
    (folder / "out" / "mine.txt").write_text("not bosim's")


# The read-only folder: root may write anywhere, so as root a read-only file system stands in.
LOCKED = "/sys/bosim-out" if os.geteuid() == 0 else "locked/out"

CASES = [
    # ------------------------------------------------------------ file syntax, encoding
    case("syntax", "malformed TOML", ("validate", "scenario.toml"), "scenario.toml",
         "line", replace=(("capacity = 5\n", "capacity = 5 5\n"),)),
    case("syntax", "non-ASCII bare key", ("validate", "scenario.toml"), "scenario.toml",
         '"kostnad_ø"', replace=(('name = "tiny"\n', 'name = "tiny"\nkostnad_ø = 1\n'),)),
    case("syntax", "non-ASCII table name", ("validate", "scenario.toml"), "scenario.toml",
         '[places."bolig_ø"]', replace=(("[places.flat]", "[places.bolig_ø]"),)),
    case("syntax", "text without quotes", ("validate", "scenario.toml"), "scenario.toml",
         'kind = "street"', replace=(('kind = "street"', "kind = street"),)),
    case("syntax", "not UTF-8", ("validate", "latin.toml"), "latin.toml", "UTF-8",
         files={"latin.toml": TINY_SCENARIO.replace("tiny", "tæny").encode("latin-1")}),
    case("syntax", "binary garbage", ("validate", "garbage.toml"), "garbage.toml",
         files={"garbage.toml": bytes(range(256))}),
    case("syntax", "missing file", ("run", "nothere.toml", "-o", "out", "-q"), "nothere.toml"),
    case("syntax", "a folder as scenario", ("validate", "folder.toml"), "folder.toml",
         prepare=lambda folder: (folder / "folder.toml").mkdir()),
    case("syntax", "empty file", ("validate", "empty.toml"), "empty.toml", "policy",
         files={"empty.toml": ""}),
    case("syntax", "segments as one table", ("validate", "scenario.toml"), "segments",
         "[[segments]]", replace=(("[[segments]]", "[segments]"),)),
    case("syntax", "places as a list", ("validate", "list.toml"), "places", "[places.<name>]",
         files={"list.toml": '[policy]\nwaiting = ["street"]\n[[places]]\nkind = "street"\n'
                '[[segments]]\nname = "x"\n'}),
    case("syntax", "extends a missing file", ("validate", "child.toml"), "child.toml",
         "extends", files={"child.toml": 'extends = "gone.toml"\n'}),
    case("syntax", "extends cycle", ("validate", "a.toml"), "extends", "cycle",
         files={"a.toml": 'extends = "b.toml"\n', "b.toml": 'extends = "a.toml"\n'}),
    case("syntax", "extends not text", ("validate", "c.toml"), "extends",
         files={"c.toml": "extends = 3\n"}),
    # ------------------------------------------------------------------------- names
    case("names", "empty scenario name", set_('meta.name=""'), "meta.name", "empty"),
    case("names", "blank scenario name", set_('meta.name="   "'), "meta.name", "empty"),
    case("names", "scenario name with a line break", set_('meta.name="a\\nb"'), "meta.name",
         "control"),
    case("names", "empty place name", ("validate", "scenario.toml"), 'places.""', "empty",
         replace=(('[places.street]\nkind = "street"\n',
                   '[places.street]\nkind = "street"\n\n[places.""]\nkind = "street"\n'),)),
    case("names", "blank place name", ("validate", "scenario.toml"), 'places." "', "empty",
         replace=(('[places.street]\nkind = "street"\n',
                   '[places.street]\nkind = "street"\n\n[places." "]\nkind = "street"\n'),)),
    case("names", "empty segment name", ("validate", "scenario.toml"), "segments.#1.name",
         "empty", replace=(('name = "single"', 'name = ""'),)),
    case("names", "segment name with a tab", ("validate", "scenario.toml"),
         "segments.#1.name", "control", replace=(('name = "single"', 'name = "a\\tb"'),)),
    case("names", "blank team name", ("validate", "scenario.toml"), "teams.", "empty",
         replace=((TINY_SCENARIO, TINY_WITH_TEAM.replace("[teams.staff]", '[teams."  "]')),)),
    # --------------------------------------------------------------- infinity and NaN
    case("finite", "arrivals inf", set_("segments.single.arrivals_per_year=inf"),
         "segments.single.arrivals_per_year", "finite"),
    case("finite", "arrivals past float range", set_(
        "segments.single.arrivals_per_year=1e400"), "segments.single.arrivals_per_year"),
    case("finite", "arrivals nan", set_("segments.single.arrivals_per_year=nan"),
         "segments.single.arrivals_per_year"),
    case("finite", "arrival plan with inf", set_("segments.single.arrivals_per_year=[1, inf]"),
         "segments.single.arrivals_per_year", "observed year 1"),
    case("finite", "stay mean inf", set_('places.flat.stay={dist="exponential", mean=inf}'),
         "places.flat.stay.mean"),
    case("finite", "discount rate nan", set_("economics.discount_rate=nan"),
         "economics.discount_rate"),
    case("finite", "route probability nan", set_("segments.single.routes.flat={exit=nan}"),
         "segments.single.routes.flat.exit"),
    case("finite", "crisis weight inf", set_(
        "segments.single.crisis={rate_per_year=1, profile=[inf, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
        "1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}"),
        "segments.single.crisis.profile", "finite"),
    case("finite", "price nan", set_("places.hostel.cost_per_occupied_day=nan"),
         "places.hostel.cost_per_occupied_day"),
    case("finite", "exit rate -inf", set_("segments.single.exit_rate_per_year=-inf"),
         "segments.single.exit_rate_per_year"),
    # ------------------------------------------------ numbers bosim cannot draw or hold
    case("range", "gamma cv too large", set_(
        'places.flat.stay={dist="gamma", mean=100, cv=1000}'), "places.flat.stay.cv", "30"),
    case("range", "gamma cv too small", set_(
        'places.flat.stay={dist="gamma", mean=100, cv=1e-200}'), "places.flat.stay.cv",
        "fixed"),
    case("range", "weibull shape too small", set_(
        'places.flat.stay={dist="weibull", shape=0.001, scale=100}'),
        "places.flat.stay.shape", "0.05"),
    case("range", "weibull mean overflows", set_(
        'places.flat.stay={dist="weibull", shape=0.05, scale=1e9}'), "places.flat.stay",
        "mean"),
    case("range", "lognormal sd too large", set_(
        'places.flat.stay={dist="lognormal", mean=100, sd=1e200}'), "places.flat.stay", "sd"),
    case("range", "uniform past the longest stay", set_(
        'places.flat.stay={dist="uniform", low=0, high=1e300}'), "places.flat.stay.high"),
    case("range", "crisis weights overflow", set_(
        "segments.single.crisis={rate_per_year=1, profile=[1e308, 1e308, 1e308, 1e308, "
        "1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, "
        "1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308]}"),
        "segments.single.crisis.profile", "scale them down"),
    case("range", "capacity past any number", set_(
        "places.flat.capacity=1000000000000000000000000000000"), "places.flat.capacity",
        "unlimited"),
    case("range", "arrivals a trillion a year", set_(
        "segments.single.arrivals_per_year=1e12"), "segments.single.arrivals_per_year"),
    case("range", "breakdown rate a billion", set_(
        "segments.single.breakdown_rate_per_year={flat=1e9}",
        "segments.single.routes.breakdown={hostel=1.0}"),
        "segments.single.breakdown_rate_per_year.flat"),
    case("range", "exit rate a million", set_("segments.single.exit_rate_per_year=1e6"),
         "segments.single.exit_rate_per_year"),
    case("range", "crisis rate a billion", set_(
        "segments.single.crisis={rate_per_year=1e9}"), "segments.single.crisis.rate_per_year"),
    case("range", "a billion FTE", ("validate", "scenario.toml"), "teams.staff.fte",
         replace=((TINY_SCENARIO, TINY_WITH_TEAM.replace("fte = 2.0", "fte = 1e9")),)),
    case("range", "more hours than a year has", ("validate", "scenario.toml"),
         "teams.staff.hours_per_fte_year",
         replace=((TINY_SCENARIO, TINY_WITH_TEAM.replace(
             "fte = 2.0", "fte = 2.0\nhours_per_fte_year = 10000")),)),
    case("range", "handling time spread too wide", ("validate", "scenario.toml"),
         "teams.staff.handling_hours.cv",
         replace=((TINY_SCENARIO, TINY_WITH_TEAM.replace(
             'handling_hours = { dist = "exponential", mean = 1.0 }',
             'handling_hours = { dist = "gamma", mean = 1.0, cv = 1e5 }')),)),
    case("range", "price past float range", set_("places.hostel.cost_per_occupied_day=1e300"),
         "places.hostel.cost_per_occupied_day"),
    case("range", "a trillion people at the start", set_(
        "segments.single.initial={street=1000000000000}"), "segments.single.initial.street"),
    case("range", "service hours past midnight twice", ("validate", "scenario.toml"),
         "teams.staff.hours", replace=((TINY_SCENARIO, TINY_WITH_TEAM.replace(
             'hours = "24/7"', 'hours = "mon-fri 25:00-26:00"')),)),
    case("range", "service hours opening and closing at once", ("validate", "scenario.toml"),
         "teams.staff.hours", "24/7", replace=((TINY_SCENARIO, TINY_WITH_TEAM.replace(
             'hours = "24/7"', 'hours = "daily 07:00-07:00"')),)),
    # ----------------------------------------------------------------- zero-time loops
    case("loops", "fixed 0 back to itself", set_(
        'places.flat.stay={dist="fixed", value=0}', "segments.single.routes.flat={flat=1.0}"),
        "segments.single.routes.flat", "for ever"),
    case("loops", "two places of 0 days in a cycle", ("validate", "scenario.toml"),
         "segments.single.routes", "'flat', 'flat2'", replace=(
             *with_stay('{ dist = "fixed", value = 0 }', "{ flat2 = 1.0 }"),
             ("[[segments]]", '[places.flat2]\nkind = "ordinary"\ncapacity = 4\n'
              'stay = { dist = "fixed", value = 0 }\n\n[[segments]]'),
             ("start = { flat = 1.0 }", "start = { flat = 1.0 }\nflat2 = { flat = 1.0 }"))),
    case("loops", "mostly zero observed stays", ("validate", "scenario.toml"),
         "segments.single.routes.flat",
         replace=with_stay('{ dist = "empirical", values = [0, 0, 0, 30] }')),
    case("loops", "stays of a nanoday", ("validate", "scenario.toml"),
         "segments.single.routes.flat",
         replace=with_stay('{ dist = "exponential", mean = 1e-9 }')),
    # ------------------------------------------------------------------ size of a run
    case("size", "run too large", set_(*BIG), "segments.single.arrivals_per_year",
         "--force-large"),
    case("size", "compare too large", (
        "compare", "scenario.toml", "scenario.toml", "-o", "out", "-q", "-r", "1",
        *(part for pair in BIG for part in ("--set", pair))),
        "segments.single.arrivals_per_year", "--force-large"),
    case("size", "sweep too large", (
        "sweep", "scenario.toml", "--vary", "places.flat.capacity=4,5", "-o", "out", "-q",
        "-r", "1", *(part for pair in BIG for part in ("--set", pair))),
        "segments.single.arrivals_per_year", "--force-large"),
    case("size", "validate a file too large to run", ("validate", "scenario.toml"),
         "segments.single.arrivals_per_year", "too large", replace=(
             ("arrivals_per_year = 5", "arrivals_per_year = 9000000"),
             ("years = 1\n", "years = 100\n"))),
    case("size", "breakdowns every hour for ever", set_(
        "segments.single.breakdown_rate_per_year={flat=8760}",
        "segments.single.routes.breakdown={flat=1.0}", "places.flat.capacity=\"unlimited\"",
        "simulation.years=200", "segments.single.arrivals_per_year=10000"),
        "segments.single.breakdown_rate_per_year.flat", "again and again"),
    case("size", "replications beyond reach", (
        "run", "scenario.toml", "-o", "out", "-q", "-r", "100000", "--set",
        "segments.single.arrivals_per_year=100000", "--set", "simulation.years=50"),
        "too large", "-r"),
    # ------------------------------------------------------------ --set and --vary text
    case("overrides", "--set without =", ("run", "scenario.toml", "-o", "out", "--set", "x"),
         "--set", "PATH=VALUE"),
    case("overrides", "--set unknown key", set_("places.flat.capacityy=3"), "--set",
         "places.flat.capacityy", "capacity"),
    case("overrides", "--set unknown segment", set_("segments.singel.priority=1"),
         "segments.singel", "single"),
    case("overrides", "--set empty path", set_("=5"), "--set", "empty key path"),
    case("overrides", "--set into a value", set_("meta.name.first=1"), "meta.name"),
    case("overrides", "--set wrong type", set_("places.flat.capacity=true"),
         "places.flat.capacity"),
    case("overrides", "--vary without =", (
        "sweep", "scenario.toml", "--vary", "places.flat.capacity", "-o", "out", "-q"),
        "--vary"),
    case("overrides", "--vary unknown key", (
        "sweep", "scenario.toml", "--vary", "places.flat.capasity=1,2", "-o", "out", "-q"),
        "places.flat.capasity"),
    case("overrides", "--vary bad value", (
        "sweep", "scenario.toml", "--vary", "places.flat.capacity=1,-2", "-o", "out", "-q"),
        "places.flat.capacity"),
    # --------------------------------------------------------------- command options
    case("options", "unknown metric", (
        "sweep", "scenario.toml", "--vary", "places.flat.capacity=1,2", "--metric", "cost",
        "-o", "out", "-q"), "--metric", "cost"),
    case("options", "unknown language", (*RUN, "--lang", "xx"), "--lang"),
    case("options", "zero replications", ("run", "scenario.toml", "-o", "out", "-r", "0"),
         "--replications"),
    case("options", "zero jobs", ("run", "scenario.toml", "-o", "out", "-j", "0"), "--jobs"),
    case("options", "negative seed", ("run", "scenario.toml", "-o", "out", "--seed", "-1"),
         "--seed"),
    case("options", "replications not a number", ("run", "scenario.toml", "-r", "[/b]"),
         "--replications"),
    case("options", "unknown option with markup", ("run", "scenario.toml", "--[/b]"),
         "--[/b]"),
    case("options", "plans with different horizons", (
        "compare", "scenario.toml", "longer.toml", "-o", "out", "-q"), "simulation.years",
        files={"longer.toml": TINY_SCENARIO.replace("years = 1\n", "years = 2\n")}),
    # ------------------------------------------------------------------------ folders
    case("folders", "output is an existing file", ("run", "scenario.toml", "-o", "taken"),
         "taken", "file", files={"taken": "a user's file"}),
    case("folders", "output folder exists", ("run", "scenario.toml", "-o", "out"), "out",
         "--force", prepare=a_results_folder),
    case("folders", "output inside a file", ("run", "scenario.toml", "-o", "taken/out"),
         "taken", files={"taken": "a user's file"}),
    case("folders", "read-only folder", ("run", "scenario.toml", "-q", "-o", LOCKED),
         LOCKED, prepare=read_only_folder),
    case("folders", "output name too long", ("run", "scenario.toml", "-q", "-o", "x" * 300),
         "too long"),
    case("folders", "report of a folder bosim did not write", ("report", "plain"), "plain",
         prepare=lambda folder: (folder / "plain").mkdir()),
    case("folders", "report of a missing folder", ("report", "gone"), "gone"),
]
RULES = sorted({item.rule for item in CASES})


def files_under(folder: Path) -> dict[str, bytes | None]:
    """Every path below ``folder`` with its content (None for folders), hidden ones too."""
    return {str(path.relative_to(folder)): None if path.is_dir() else path.read_bytes()
            for path in sorted(folder.rglob("*"))}


def invoke(args: tuple[str, ...], folder: Path) -> tuple[int, str, str]:
    """Run ``bosim ARGS`` in this process, in ``folder``: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with (contextlib.chdir(folder), mock.patch.object(sys, "argv", ["bosim", *args]),
          contextlib.redirect_stdout(out), contextlib.redirect_stderr(err),
          mock.patch.dict(os.environ, {"COLUMNS": "200"})):
        try:
            main()
        except SystemExit as exit_:
            code = exit_.code
    return (code if isinstance(code, int) else 1), out.getvalue(), err.getvalue()


def prepare(item: Case, folder: Path) -> None:
    text = TINY_SCENARIO
    for old, new in item.replace:
        assert text.count(old) == 1, f"{old!r} must occur exactly once in the scenario"
        text = text.replace(old, new)
    (folder / "scenario.toml").write_text(text, encoding="utf-8")
    for name, content in item.files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if item.prepare is not None:
        item.prepare(folder)


def test_the_battery_is_large() -> None:
    assert len(CASES) >= 60
    assert len({item.name for item in CASES}) == len(CASES)
    assert len(RULES) >= 8


@pytest.mark.parametrize("item", CASES, ids=[f"{c.rule}: {c.name}" for c in CASES])
def test_bad_input_is_refused_cleanly(item: Case, tmp_path: Path) -> None:
    prepare(item, tmp_path)
    before = files_under(tmp_path)

    code, stdout, stderr = invoke(item.args, tmp_path)

    report = f"exit {code}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    assert code == 2, report
    assert "Traceback" not in stderr + stdout, report
    assert "internal error" not in stderr, report
    flat = " ".join(stderr.split())
    for name in item.names:
        assert name in flat, f"{name!r} is not named\n{report}"
    assert files_under(tmp_path) == before, "bosim changed or left files behind"


def test_a_byte_order_mark_is_no_error(tmp_path: Path) -> None:
    (tmp_path / "bom.toml").write_bytes(b"\xef\xbb\xbf" + TINY_SCENARIO.encode("utf-8"))

    code, stdout, stderr = invoke(("validate", "bom.toml"), tmp_path)

    assert (code, stderr) == (0, ""), stderr
    assert "bom.toml: ok" in stdout


def test_force_large_lets_a_large_estimate_through(tmp_path: Path) -> None:
    """The gate is the estimate's, not the scenario's: --force-large passes it."""
    prepare(case("size", "-", ()), tmp_path)
    args = (*RUN, "--set", "segments.single.arrivals_per_year=20")

    with mock.patch("bosim.scenario.plausibility.LONGEST_RUN_HOURS", 0.0):
        refused = invoke(args, tmp_path)
        forced = invoke((*args, "--force-large"), tmp_path)

    assert refused[0] == 2 and "--force-large" in refused[2]
    assert forced[0] == 0, forced[2]
    assert (tmp_path / "out" / "report.html").exists()


SUBPROCESS_CASES = ("syntax: malformed TOML", "size: run too large",
                    "folders: read-only folder")


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_some_cases_as_a_user_runs_them(name: str, tmp_path: Path) -> None:
    """The same promises through ``python -m bosim.cli``, as a user's shell runs it."""
    item = next(c for c in CASES if f"{c.rule}: {c.name}" == name)
    prepare(item, tmp_path)
    before = files_under(tmp_path)
    env = {key: value for key, value in os.environ.items()
           if key not in {"COLUMNS", "LINES", "BOSIM_DEBUG"}}

    done = subprocess.run([sys.executable, "-m", "bosim.cli", *item.args], cwd=tmp_path,
                          capture_output=True, text=True, env=env, timeout=120, check=False)

    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    for text in item.names:
        assert text in " ".join(done.stderr.split()), done.stderr
    assert files_under(tmp_path) == before
