"""Runs from the app: in their own process, with progress, an outcome, errors and cancel."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bosim.app import tables
from bosim.app.jobs import Job, PlanChoice, Request

ROOT = Path(__file__).resolve().parents[2]
SMALL = str(ROOT / "tests" / "data" / "small.toml")
WAIT_SECONDS = 120.0


def finish(job: Job) -> Job:
    deadline = time.monotonic() + WAIT_SECONDS
    while not job.finished and time.monotonic() < deadline:
        job.poll()
        time.sleep(0.05)
    assert job.finished, "the job did not finish"
    return job


@pytest.mark.slow  # renders a report
def test_a_run_writes_its_folder_and_sends_its_key_results(tmp_path: Path) -> None:
    job = finish(Job(Request("run", (PlanChoice(SMALL, "small"),), 2, "nb",
                             str(tmp_path / "results"))))
    assert job.error is None and job.outcome is not None
    assert job.done == job.total == 2 and job.fraction == 1.0
    folder = Path(job.outcome.folder)
    assert folder.parent == tmp_path / "results"
    assert (folder / "summary.xlsx").exists()
    assert "<html lang=nb>" in (folder / "report.html").read_text(encoding="utf-8")
    shown = tables.key_results(job.outcome, "nb")
    assert list(shown.columns) == ["Resultat", "Gjennomsnitt", "95 % intervall"]
    assert len(shown) >= 5 and shown.Gjennomsnitt.str.len().min() > 0


@pytest.mark.slow  # renders a report
def test_a_comparison_shows_who_pays_first(tmp_path: Path) -> None:
    plans = (PlanChoice(SMALL, "small"),
             PlanChoice(SMALL, "more flats", {"places.housing_first.capacity": 6}))
    job = finish(Job(Request("compare", plans, 2, "en", str(tmp_path))))
    assert job.error is None and job.outcome is not None
    assert job.total == 4
    assert (Path(job.outcome.folder) / "comparison.xlsx").exists()
    paying = tables.who_pays(job.outcome, "en")
    assert list(paying.columns) == ["Payer or perspective", "more flats"]
    assert list(paying["Payer or perspective"][:2]) == ["municipality", "state"]
    assert paying["more flats"][1].startswith("+")  # the state pays for more HF flats
    assert not tables.differences(job.outcome, "en").empty


def test_a_bad_plan_comes_back_as_its_message(tmp_path: Path) -> None:
    plan = PlanChoice(SMALL, "small", {"places.shelter.capacity": -2})
    job = finish(Job(Request("run", (plan,), 2, "en", str(tmp_path))))
    assert job.outcome is None and job.error is not None
    assert "places.shelter.capacity" in job.error and "fix:" in job.error
    assert not any(tmp_path.iterdir())


def test_cancel_stops_the_process_and_leaves_nothing(tmp_path: Path) -> None:
    job = Job(Request("run", (PlanChoice(SMALL, "small"),), 100_000, "en", str(tmp_path)))
    deadline = time.monotonic() + WAIT_SECONDS
    while job.done < 1 and time.monotonic() < deadline:
        job.poll()
        time.sleep(0.05)
    assert job.done >= 1 and not job.finished
    job.cancel()
    assert job.cancelled and job.finished
    assert not job._process.is_alive()
    assert list(tmp_path.iterdir()) == [], "a cancelled run left a (staging) folder"
