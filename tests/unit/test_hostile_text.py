"""Every text a user writes is data: escaped in HTML, never read as terminal markup or TeX.

Names, descriptions and the currency go into report.html, figures (matplotlib reads two
``$`` as TeX), and the terminal (rich reads ``[b]`` as markup and ``:house:`` as an
emoji). Each must show exactly what the user wrote, and never break a run.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import tomllib
from pathlib import Path
from typing import Any
from unittest import mock

import matplotlib.pyplot as plt
import pytest

import bosim
from bosim.api import render_report
from bosim.cli import main
from bosim.errors import InputError
from bosim.presentation import figures as figure_module
from bosim.presentation import render_comparison_report, render_sweep_report
from bosim.presentation.figures import plain
from bosim.scenario import scenario_from_dict
from bosim.scenario.checks import name_problem
from conftest import TINY_SCENARIO

NAME = "<script>alert('name')</script> [/b] $\\foo{$ :house:"
DESCRIPTION = "<img src=x onerror=alert('description')>"
CURRENCY = "<b>$\\frac{1$</b>"
PLACE = "$\\alpha{$ <i>flat</i> [/red]"
SEGMENT = "</td><script>alert('segment')</script>"
TEAM = "<svg onload=alert('team')>"
HOSTILE = (NAME, DESCRIPTION, CURRENCY, PLACE, SEGMENT, TEAM)


def hostile_data() -> dict[str, Any]:
    """The tiny scenario with every name, the description and the currency hostile."""
    data = _rename(tomllib.loads(TINY_SCENARIO), {"flat": PLACE, "single": SEGMENT})
    data["meta"].update(name=NAME, description=DESCRIPTION, currency=CURRENCY)
    data["teams"] = {TEAM: {"serves": [PLACE], "fte": 1.0, "cost_per_fte_year": 1e5,
                            "handling_hours": {"dist": "exponential", "mean": 1.0}}}
    data["segments"][0]["crisis"] = {"rate_per_year": 4.0}
    return data


def _rename(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {names.get(k, k): _rename(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, names) for v in value]
    return names.get(value, value) if isinstance(value, str) else value


@pytest.fixture(scope="module")
def results() -> bosim.Results:
    scenario = scenario_from_dict(hostile_data())
    assert scenario.meta.name == NAME and PLACE in scenario.places
    return bosim.simulate(scenario, replications=2, seed=1)


def assert_no_markup_from_users(page: str) -> None:
    """No tag a user wrote made it into the page as a tag."""
    assert "<script" not in page.lower()
    assert "<img src=x" not in page
    assert "<svg" not in page
    assert "<i>flat</i>" not in page
    assert "</td><script>" not in page


def test_the_run_report_escapes_every_user_text(results: bosim.Results) -> None:
    page = render_report(results)
    assert_no_markup_from_users(page)
    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in page  # title and h1
    assert "&lt;img src=x onerror=alert(&#x27;description&#x27;)&gt;" in page
    assert "&lt;/td&gt;&lt;script&gt;" in page  # segment name in the group tables
    assert "&lt;svg onload=alert(&#x27;team&#x27;)&gt;" in page  # the team table
    assert "&lt;b&gt;$\\frac{1$&lt;/b&gt;" in page  # the currency
    alt_texts = re.findall(r'<img alt="([^"]*)"', page)
    assert alt_texts and all("<" not in text for text in alt_texts)
    nb = render_report(results, "nb")
    assert_no_markup_from_users(nb)


def test_the_comparison_and_sweep_reports_escape_names(results: bosim.Results) -> None:
    scenario = results.scenario
    comparison = bosim.compare(scenario, scenario, names=[NAME, SEGMENT], replications=2)
    page = render_comparison_report(comparison)
    assert_no_markup_from_users(page)
    assert "&lt;/td&gt;&lt;script&gt;" in page

    sweep = bosim.sweep(scenario, {"meta.description": [DESCRIPTION, TEAM]}, replications=1)
    page = render_sweep_report(sweep, ["housing_retention_12m", "<script>x</script>"])
    assert_no_markup_from_users(page)
    assert "Meta description" in page  # the varied key, in words


def test_figures_show_user_text_as_written_not_as_tex(results: bosim.Results) -> None:
    """Each figure draws (mathtext would fail on ``$\\foo{$``) and shows the text."""
    for draw in (figure_module.occupancy, figure_module.queues, figure_module.waits,
                 figure_module.flows, figure_module.retention):
        figure = draw(results)
        figure.savefig(io.BytesIO(), format="png")  # draws every text
        plt.close(figure)
    figure = figure_module.occupancy(results)
    titles = [axis.get_title() for axis in figure.axes]
    assert plain(PLACE) in titles
    plt.close(figure)
    for by in ("payer", "place"):
        figure = figure_module.costs(results, by)
        figure.savefig(io.BytesIO(), format="png")
        plt.close(figure)


def test_plain_escapes_every_dollar() -> None:
    assert plain("$x$ costs 5$") == "\\$x\\$ costs 5\\$"
    assert plain("no money") == "no money"
    figure, axis = plt.subplots()
    axis.set_title(plain("$\\foo{$"))  # bad TeX: drawn as text, not parsed
    figure.savefig(io.BytesIO(), format="png")
    plt.close(figure)
    with pytest.raises(ValueError):  # the same text unescaped is parsed, and fails
        figure, axis = plt.subplots()
        axis.set_title("$\\foo{$")
        try:
            figure.savefig(io.BytesIO(), format="png")
        finally:
            plt.close(figure)


def invoke(args: tuple[str, ...], folder: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with (contextlib.chdir(folder), mock.patch.object(sys, "argv", ["bosim", *args]),
          contextlib.redirect_stdout(out), contextlib.redirect_stderr(err),
          mock.patch.dict(os.environ, {"COLUMNS": "300"})):
        try:
            main()
        except SystemExit as exit_:
            code = exit_.code
    return (code if isinstance(code, int) else 1), out.getvalue(), err.getvalue()


def test_the_terminal_prints_names_as_written(tmp_path: Path) -> None:
    text = TINY_SCENARIO.replace('name = "tiny"', 'name = "[/b] [bold]x :house: $a$"')
    (tmp_path / "scenario.toml").write_text(text, encoding="utf-8")
    (tmp_path / "[red]plan.toml").write_text(text.replace("capacity = 4", "capacity = 5"),
                                             encoding="utf-8")

    code, stdout, stderr = invoke(("run", "scenario.toml", "-o", "[/out]", "-q"), tmp_path)
    assert code == 0, stderr
    assert "[/b] [bold]x :house: $a$" in stdout
    assert "[/out]" in stdout

    code, stdout, stderr = invoke(
        ("compare", "scenario.toml", "[red]plan.toml", "-o", "cmp", "-q", "-r", "2"), tmp_path)
    assert code == 0, stderr
    assert "[red]plan against scenario" in stdout


def test_warnings_print_names_as_written(tmp_path: Path) -> None:
    text = TINY_SCENARIO.replace("flat", '"[/x] flat"').replace(
        'stay = { dist = "exponential", mean = 200 }',
        'stay = { dist = "exponential", mean = 1e8 }')
    (tmp_path / "scenario.toml").write_text(text, encoding="utf-8")

    code, _, stderr = invoke(("run", "scenario.toml", "-o", "out", "-q"), tmp_path)

    assert code == 0, stderr
    assert "warning: Nobody left [/x] flat" in stderr


@pytest.mark.parametrize("name", ["", " ", "\t", "a\nb", "x\x00y", "\u3000"])
def test_names_without_anything_visible_are_refused(name: str) -> None:
    assert name_problem(name) is not None
    data = tomllib.loads(TINY_SCENARIO)
    data["meta"]["name"] = name
    with pytest.raises(InputError, match=r"meta\.name"):
        scenario_from_dict(data)


@pytest.mark.parametrize("name", ["Bodø", "flat 2", "<b>", "$", "[b]", "a" * 500, "日本"])
def test_names_with_odd_but_visible_text_are_fine(name: str) -> None:
    assert name_problem(name) is None
