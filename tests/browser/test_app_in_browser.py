"""A planner's session in a real browser: open, change, run, compare, cancel, download.

Screenshots of each step are saved in the test's temporary folder (``*.png``), for a
person to look at. The app runs as a user starts it, ``bosim app --no-browser --port N``,
in a subprocess whose current folder is a temporary folder (its ``results/`` and
``plans/`` are there). Playwright's own browser downloads are not used: the tests drive
the system's chromium through its executable path, and fail (never skip) when it is
missing. (The fixtures live here, not in a ``conftest.py``: a second ``conftest`` module
would shadow ``tests/conftest.py`` for the tests that import from it.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from app_server import AppServer, chromium_path
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bosim.app.fields import input_id
from bosim.errors import InputError
from bosim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = "staffing/shared_office_hours.toml"
FTE = input_id("teams.day_team.fte")
HOURS = input_id("teams.day_team.hours")


expect.set_options(timeout=60_000)  # a run writes its report in a few seconds


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    server = AppServer(tmp_path_factory.mktemp("app"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, app_server: AppServer) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1300, "height": 1100},
                                  accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    opened.goto(app_server.url)
    yield opened
    context.close()


def open_scenario(page: Page, name: str = SCENARIO) -> None:
    page.select_option("#bundled", label=name)
    page.click("#open")
    expect(page.locator("#plan-title")).to_contain_text("day team")
    expect(page.locator(f"#{FTE}")).to_have_value("6")
    # Nothing typed for the scenario shown at first carries over to this one.
    expect(page.locator("#plan-ok")).to_contain_text("No changes yet")


def change_fte(page: Page, fte: str) -> None:
    page.fill(f"#{FTE}", fte)
    page.locator(f"#{FTE}").blur()


def test_open_change_run_compare_and_download(page: Page, tmp_path: Path) -> None:
    """The README's tutorial for planners, step by step (fewer replications)."""
    open_scenario(page)
    page.screenshot(path=tmp_path / "1-opened.png", full_page=True)

    change_fte(page, "10")
    page.fill(f"#{HOURS}", "24/7")
    page.locator(f"#{HOURS}").blur()
    expect(page.locator("#plan-ok")).to_contain_text("Your changes: 2")
    expect(page.locator("#plan-ok")).to_contain_text("teams.day_team.fte = 10")
    expect(page.locator("#plan-ok")).to_contain_text("teams.day_team.hours = 24/7")
    page.fill("#replications", "2")
    page.fill("#save_name", "day team 24/7")

    page.click("#run")
    results = page.locator("#key-results")
    expect(results).to_be_visible()
    expect(results).to_contain_text("Still housed 12 months after a housing start")
    expect(results).to_contain_text("%")
    page.screenshot(path=tmp_path / "2-run.png", full_page=True)

    page.click("#compare")
    who_pays = page.locator("#who-pays")
    expect(who_pays).to_be_visible()
    expect(who_pays).to_contain_text("municipality")
    expect(who_pays.locator("th").nth(1)).to_contain_text("day team 24/7")
    expect(page.locator("#differences")).to_contain_text("Unmet share of crises")
    # The who-pays table comes first.
    assert page.locator(".bosim-table").first.get_attribute("id") == "who-pays"
    page.screenshot(path=tmp_path / "3-compared.png", full_page=True)

    with page.expect_download() as download:
        page.click("#download_report")
    saved = tmp_path / "report.html"
    download.value.save_as(saved)
    report = saved.read_text(encoding="utf-8")
    assert report.lstrip().lower().startswith("<!doctype html")
    assert "day team 24/7" in report and "Who pays" in report

    with page.expect_download() as download:
        page.click("#download_spreadsheet")
    assert download.value.suggested_filename.endswith("comparison.xlsx")


def validate_message(overrides: dict[str, object]) -> list[str]:
    """What ``bosim validate`` (and ``--set``) say about these values, line by line."""
    with pytest.raises(InputError) as raised:
        load_scenario(ROOT / "scenarios" / SCENARIO, overrides, override_source="form")
    return [line.strip() for line in str(raised.value).splitlines()]


def test_a_bad_value_gets_the_message_bosim_validate_gives(page: Page,
                                                           tmp_path: Path) -> None:
    open_scenario(page)
    change_fte(page, "-1")
    problems = page.locator("#plan-problems")
    for line in validate_message({"teams.day_team.fte": -1}):
        expect(problems).to_contain_text(line)
    assert "teams.day_team.fte" in problems.inner_text()
    page.fill(f"#{HOURS}", "mon-fry 08:00-16:00")
    page.locator(f"#{HOURS}").blur()
    for line in validate_message({"teams.day_team.fte": -1,
                                  "teams.day_team.hours": "mon-fry 08:00-16:00"}):
        expect(problems).to_contain_text(line)
    page.screenshot(path=tmp_path / "bad-value.png", full_page=True)
    page.click("#run")
    expect(page.locator("#message-refused")).to_contain_text("teams.day_team.fte")
    expect(page.locator("#run-progress")).to_have_count(0)


def test_cancel_a_long_run(page: Page, app_server: AppServer, tmp_path: Path) -> None:
    open_scenario(page)
    results = app_server.folder / "results"
    before = set(results.iterdir()) if results.exists() else set()
    page.fill("#replications", "5000")
    page.click("#run")
    expect(page.locator("#progress-text")).to_contain_text("of 5000 replications")
    expect(page.locator("#progress-text")).not_to_contain_text(" 0 of 5000")
    page.screenshot(path=tmp_path / "1-running.png", full_page=True)
    page.click("#cancel")
    expect(page.locator("#message-cancelled")).to_contain_text("nothing was written")
    expect(page.locator("#run-progress")).to_have_count(0)
    page.screenshot(path=tmp_path / "2-cancelled.png", full_page=True)
    after = set(results.iterdir()) if results.exists() else set()
    assert after == before, "a cancelled run left files behind"


def test_save_a_plan_that_extends_the_original(page: Page, app_server: AppServer,
                                               tmp_path: Path) -> None:
    open_scenario(page)
    change_fte(page, "9")
    expect(page.locator("#plan-ok")).to_contain_text("Your changes: 1")
    page.fill("#save_name", "nine staff")
    page.click("#save")
    expect(page.locator("#message-saved")).to_contain_text("plans/nine-staff.toml")
    written = app_server.folder / "plans" / "nine-staff.toml"
    assert load_scenario(written).teams["day_team"].fte == 9
    assert "extends = " in written.read_text(encoding="utf-8")
    page.screenshot(path=tmp_path / "saved.png", full_page=True)
    first = written.read_bytes()
    page.click("#save")
    expect(page.locator("#message-refused")).to_contain_text("exists already")
    assert written.read_bytes() == first

    # Three plans side by side: the base, the plan on the page, the saved file.
    page.fill("#replications", "2")
    page.click("#compare_also-selectized")
    page.keyboard.type("nine-staff")
    page.keyboard.press("Enter")
    page.click("#compare")
    who_pays = page.locator("#who-pays")
    expect(who_pays.locator("th")).to_have_count(3)
    expect(who_pays.locator("th").nth(2)).to_contain_text("nine-staff")
    page.screenshot(path=tmp_path / "three-plans.png", full_page=True)


def test_bokmal(page: Page, tmp_path: Path) -> None:
    open_scenario(page)
    page.get_by_label("Norsk bokmål").check()
    expect(page.locator("#section-teams")).to_contain_text("Årsverk")
    expect(page.locator("#run")).to_have_text("Kjør denne planen")
    page.screenshot(path=tmp_path / "bokmal.png", full_page=True)


@pytest.fixture(autouse=True)
def _show_where_screenshots_are(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    request.node.user_properties.append(("screenshots", str(tmp_path)))
