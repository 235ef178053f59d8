"""Reports and figures: self-contained pages with every section, in English and bokmål."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from matplotlib.figure import Figure

import bosim
import bosim.plot
from bosim import compare
from bosim.api import render_report
from bosim.presentation.language import NB
from builders import network

RUN_SECTIONS = [
    "Key results", "What was simulated", "Results by place", "Results by group",
    "Occupancy and queues over time",
    "Waiting times", "Flows between places", "Housing retention", "Costs",
    "What the model does not capture",
]
SMALL = Path(__file__).parents[1] / "data" / "small.toml"


class Page(HTMLParser):
    """Collects section titles, image sources and anything that points outside the file."""

    def __init__(self) -> None:
        super().__init__()
        self.titles: list[str] = []
        self.images: list[str] = []
        self.outside: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "h2":
            self._in_title = True
            self.titles.append("")
        if tag == "img":
            self.images.append(values.get("src") or "")
        if tag in ("script", "link", "iframe", "object"):
            self.outside.append(tag)
        for name in ("href", "src"):
            value = values.get(name) or ""
            if value and not value.startswith("data:") and not value.startswith("#"):
                self.outside.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.titles[-1] += data


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def results() -> bosim.Results:
    scenario = network(**{
        "places.housing_first.cost_per_unit_day": 900.0,
        "places.shelter.cost_per_unit_day": 1500.0, "places.shelter.payer": "state",
    })
    return bosim.simulate(scenario, replications=3)


def test_run_report_has_every_section_and_embeds_every_figure(results: bosim.Results) -> None:
    page = render_report(results)
    parsed = parse(page)
    assert parsed.titles == RUN_SECTIONS
    assert len(parsed.images) == 7  # occupancy, queues, waits, flows, retention, 2 x costs
    assert all(src.startswith("data:image/png;base64,") for src in parsed.images)
    assert parsed.outside == []
    assert "http" not in page
    assert results.scenario.meta.name in page


def test_bokmal_report_has_no_english_section_titles(results: bosim.Results) -> None:
    parsed = parse(render_report(results, lang="nb"))
    assert parsed.titles == [NB[title] for title in RUN_SECTIONS]
    assert not set(parsed.titles) & set(RUN_SECTIONS)
    assert '<html lang=nb>' in render_report(results, lang="nb")


def test_comparison_report(results: bosim.Results) -> None:
    from bosim.presentation import render_comparison_report

    more = bosim.with_overrides(results.scenario, {"places.housing_first.capacity": 8})
    comparison = compare(results.scenario, more, names=["base", "more"], replications=3)
    for lang in ("en", "nb"):
        parsed = parse(render_comparison_report(comparison, lang))
        assert len(parsed.images) == 2 and parsed.outside == []
        assert len(parsed.titles) == 5  # what each plan is, who pays, differences, money, limits
    assert parse(render_comparison_report(comparison, "nb")).titles[2] == NB[
        "Differences from the base"]


@pytest.mark.parametrize("name", ["occupancy", "queues", "waits", "flows", "retention",
                                  "costs"])
def test_figures_have_labelled_axes(results: bosim.Results, name: str) -> None:
    figure = getattr(bosim.plot, name)(results)
    assert isinstance(figure, Figure)
    visible = [axis for axis in figure.axes if axis.get_visible()]
    assert visible
    for axis in visible:
        assert axis.get_xlabel() or axis.get_ylabel(), (name, axis.get_title())
    units = " ".join(axis.get_xlabel() + axis.get_ylabel() for axis in visible)
    assert re.search(r"days|people|years|months|share|NOK|moves", units), units


def test_retention_curve_is_the_retention_metric(results: bosim.Results) -> None:
    """One estimator: the curve at 12 months is the headline and its interval, exactly."""
    curve = results.retention
    at_year = curve[curve.days == 365.0].iloc[0]
    summary = results.summary
    row = summary[(summary.metric == "housing_retention_12m") & (summary.segment == "")
                  & (summary.place == "")].iloc[0]
    assert at_year.share == pytest.approx(row["mean"], rel=1e-12)
    assert (at_year.low, at_year.high) == pytest.approx((row.ci_low, row.ci_high), rel=1e-12)


def test_report_command_rerenders_a_run_folder(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    done = subprocess.run([sys.executable, "-m", "bosim.cli", "run", str(SMALL), "-o",
                           str(folder), "-q", "-r", "2"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    first = (folder / "report.html").read_text()
    done = subprocess.run([sys.executable, "-m", "bosim.cli", "report", str(folder), "--lang",
                           "nb"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    again = (folder / "report.html").read_text()
    assert parse(again).titles == [NB[t] for t in RUN_SECTIONS]
    strip = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")
    # The same numbers as the run's own report: the tables match cell by cell.
    english = subprocess.run([sys.executable, "-m", "bosim.cli", "report", str(folder)],
                             capture_output=True, text=True)
    assert english.returncode == 0
    assert strip.sub("", (folder / "report.html").read_text()) == strip.sub("", first)


def test_report_command_on_something_else(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bosim.cli", "report", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "is not a bosim results folder" in done.stderr


def test_unknown_language_is_bad_input(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bosim.cli", "run", str(SMALL), "-o",
                           str(tmp_path / "out"), "--lang", "se"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "--lang: unknown language 'se'" in done.stderr
    assert not (tmp_path / "out").exists()
