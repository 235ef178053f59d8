"""The app's page parts: the form of a scenario in English and bokmål, the progress bar."""

from __future__ import annotations

from pathlib import Path

from bosim.app.fields import form_fields, input_id
from bosim.app.page import form, progress_bar
from bosim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
STAFFING = ROOT / "scenarios" / "staffing" / "shared_office_hours.toml"


def test_the_form_has_an_input_per_key_with_its_value() -> None:
    scenario = load_scenario(STAFFING)
    html = str(form(scenario, form_fields(scenario), {}, "en"))
    assert f'id="{input_id("teams.day_team.fte")}"' in html
    assert 'value="mon-fri 08:00-16:00"' in html
    assert "Full-time equivalents (FTE)" in html and "(NOK)" in html


def test_what_was_typed_is_kept_when_the_language_changes() -> None:
    scenario = load_scenario(STAFFING)
    typed = {"teams.day_team.fte": 9, "teams.day_team.hours": "24/7"}
    html = str(form(scenario, form_fields(scenario, "nb"), typed, "nb"))
    assert "Årsverk" in html and "(kr)" in html and "Full-time" not in html
    assert 'value="24/7"' in html and 'value="9"' in html


def test_the_progress_bar_says_what_it_counts() -> None:
    html = str(progress_bar(3, 10, False, 0.27, "nb"))
    assert "3 av 10 replikasjoner" in html and "width: 27%" in html
    assert "rapporten" in str(progress_bar(10, 10, True, 0.95, "nb"))
