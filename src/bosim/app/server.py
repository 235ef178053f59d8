"""The app's server: what happens when the planner opens, changes, runs, compares or saves.

A thin layer: the form's meaning is :mod:`bosim.app.fields`, checking and saving a plan
:mod:`bosim.app.plans`, running :mod:`bosim.app.jobs` (over :mod:`bosim.api`), and what
the page shows :mod:`bosim.app.page`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from shiny import App, Inputs, Outputs, Session, reactive, render, ui
from shiny.types import SilentException

from bosim.app import page
from bosim.app.bundled import bundled_choices, shown_path
from bosim.app.fields import FormField, changed_overrides, form_fields
from bosim.app.jobs import Job, Outcome, PlanChoice, Request, Work
from bosim.app.plans import PLANS_FOLDER, check_plan, save_plan
from bosim.app.words import LANGUAGE_NAMES, word
from bosim.errors import InputError, InputErrors
from bosim.scenario import Scenario, load_scenario
from bosim.scenario.model import label_text

RESULTS_FOLDER = Path("results")
"""Where runs from the app are written, as ``bosim run`` writes them."""
FIRST_SCENARIO = "example.toml"
"""The bundled scenario shown when the app starts without one (the README's first)."""
POLL_SECONDS = 0.25
"""How often the page asks a running job how far it is."""


@dataclass
class Opened:
    """The scenario file the plan starts from, loaded, with its form."""

    path: Path
    scenario: Scenario


@dataclass
class PlanState:
    """The plan as the form holds it: the changes, and what is wrong with them."""

    overrides: dict[str, object] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _messages(error: InputError) -> list[str]:
    """Each message of an input error, as ``bosim validate`` prints it."""
    if isinstance(error, InputErrors):
        return [str(one) for one in error.errors]
    return [str(error)]


def make_app(scenario: Path | None = None, lang: str = "en") -> App:
    """The app, opening ``scenario`` (or the first bundled one) in ``lang`` at first."""
    bundled = bundled_choices()
    first = shown_path(scenario) if scenario is not None else next(
        (path for path, name in bundled.items() if name == FIRST_SCENARIO),
        next(iter(bundled), ""))
    if scenario is not None:  # the same file as a bundled one is shown as that one
        first = next((value for value in bundled if Path(value).resolve()
                      == scenario.resolve()), first)
    app_ui = ui.page_sidebar(
        ui.sidebar(
            ui.input_radio_buttons("lang", "Language / Språk", LANGUAGE_NAMES, selected=lang),
            ui.output_ui("sidebar_body"),
            width=360,
        ),
        ui.tags.style(page.STYLE),
        ui.output_ui("status"),
        ui.output_ui("main_body"),
        title="bosim",
        fillable=False,
    )

    def server(input: Inputs, output: Outputs, session: Session) -> None:
        opened: reactive.Value[Opened | None] = reactive.Value(None)
        open_error: reactive.Value[list[str]] = reactive.Value([])
        job: reactive.Value[Job | None] = reactive.Value(None)
        outcome: reactive.Value[Outcome | None] = reactive.Value(None)
        message: reactive.Value[tuple[str, str]] = reactive.Value(("", ""))
        """(kind, text): ``saved``, ``cancelled``, ``failed`` or ``refused``."""
        saved_plans: reactive.Value[int] = reactive.Value(0)
        rendered: list[Opened] = []
        """The scenario the form on the page was made for."""
        running: list[Job] = []
        """The job, outside the reactive graph, to cancel when the page is closed."""

        def open_file(path_text: str) -> None:
            path = Path(path_text.strip())
            try:
                loaded = load_scenario(path)
            except InputError as error:
                open_error.set(_messages(error))
                return
            open_error.set([])
            opened.set(Opened(path, loaded))
            ui.update_numeric("replications", value=loaded.simulation.replications)

        if first:
            open_file(first)

        def lang_now() -> str:
            return str(input.lang())

        @reactive.calc
        def fields() -> list[FormField]:
            current = opened()
            return [] if current is None else form_fields(current.scenario, lang_now())

        def typed_values(current_fields: list[FormField]) -> dict[str, object]:
            typed: dict[str, object] = {}
            for one in current_fields:
                try:
                    typed[one.path] = input[one.input_id]()
                except (SilentException, KeyError):
                    continue  # not on the page yet
            return typed

        @reactive.calc
        def plan() -> PlanState:
            current = opened()
            if current is None:
                return PlanState()
            state = PlanState()
            try:
                state.overrides = changed_overrides(fields(), typed_values(fields()))
                check_plan(current.path, state.overrides, _replications())
            except InputError as error:
                state.problems = _messages(error)
            return state

        def _replications() -> int | None:
            try:
                value = input.replications()
            except SilentException:
                return None
            return int(value) if isinstance(value, int | float) and value >= 1 else None

        @render.ui
        def sidebar_body() -> ui.TagChild:
            lang = lang_now()
            with reactive.isolate():
                current = opened()
                replications = _replications()
                chosen = input.bundled() if "bundled" in input else first
                own = input.own_file() if "own_file" in input else (
                    "" if first in bundled else first)
                also = list(input.compare_also() or ()) if "compare_also" in input else []
                name = input.save_name() if "save_name" in input else ""
            saved_plans()
            others = dict(bundled)
            if PLANS_FOLDER.is_dir():
                others.update({shown_path(path): shown_path(path)
                               for path in sorted(PLANS_FOLDER.glob("*.toml"))})
            return ui.TagList(
                ui.h5(word("scenario", lang)),
                ui.input_select("bundled", word("bundled", lang), bundled,
                                selected=chosen if chosen in bundled else None),
                ui.input_text("own_file", word("own_file", lang), value=own),
                ui.input_action_button("open", word("open", lang), class_="btn-secondary"),
                ui.hr(),
                ui.input_numeric("replications", word("replications", lang), min=1,
                                 value=replications or (current.scenario.simulation.replications
                                                        if current else 10)),
                ui.input_action_button("run", word("run", lang), class_="btn-primary"),
                ui.input_action_button("compare", word("compare", lang), class_="btn-primary"),
                ui.input_selectize("compare_also", word("compare_also", lang), others,
                                   selected=also, multiple=True),
                ui.input_action_button("cancel", word("cancel", lang), class_="btn-danger"),
                ui.hr(),
                ui.input_text("save_name", word("save_name", lang), value=name,
                              placeholder="more-staff"),
                ui.input_action_button("save", word("save", lang), class_="btn-secondary"),
            )

        @reactive.effect
        @reactive.event(input.open)
        def _open() -> None:
            own = str(input.own_file() or "").strip()
            open_file(own or str(input.bundled()))

        @render.ui
        def main_body() -> ui.TagChild:
            lang = lang_now()
            current = opened()
            with reactive.isolate():
                selected = input.tabs() if "tabs" in input else "plan"
            if current is None:
                return ui.div(*(ui.pre(text) for text in open_error()))
            title = current.scenario.plan_label(current.path.stem, lang)
            return ui.TagList(
                ui.h3(title, id="plan-title"),
                ui.p(shown_path(current.path), class_="bosim-owner"),
                ui.p(label_text(current.scenario.meta.description, lang)),
                ui.navset_tab(
                    ui.nav_panel(word("plan", lang), ui.output_ui("problems"),
                                 ui.output_ui("form"), value="plan"),
                    ui.nav_panel(word("results", lang), ui.output_ui("results_view"),
                                 value="results"),
                    id="tabs", selected=selected,
                ),
            )

        @render.ui
        def form() -> ui.TagChild:
            current = opened()
            if current is None:
                return None
            with reactive.isolate():
                # What was typed survives a change of language, not a change of scenario
                # (two files may share a key path, and the inputs still hold the old one's).
                same = rendered and rendered[0] is current
                typed = typed_values(fields()) if same else {}
            rendered[:] = [current]
            return page.form(current.scenario, fields(), typed, lang_now())

        @render.ui
        def problems() -> ui.TagChild:
            lang = lang_now()
            state = plan()
            if state.problems:
                return ui.div(ui.p(word("problems", lang)),
                              ui.div("\n".join(state.problems), class_="bosim-problems"),
                              class_="alert alert-danger", id="plan-problems")
            changes = (word("changes", lang, count=len(state.overrides)) if state.overrides
                       else word("no_changes", lang))
            listed = ui.tags.ul(*(ui.tags.li(ui.code(f"{path} = {value}"))
                                  for path, value in state.overrides.items()))
            return ui.div(ui.p(word("ok", lang), " ", changes), listed,
                          class_="alert alert-success", id="plan-ok")

        @render.ui
        def status() -> ui.TagChild:
            lang = lang_now()
            kind, text = message()
            current = job()
            progress.get()
            parts: list[ui.TagChild] = []
            if current is not None and not current.finished:
                parts.append(page.progress_bar(current.done, current.total, current.writing,
                                               current.fraction, lang))
            if kind:
                style = {"saved": "alert-success", "cancelled": "alert-warning"}.get(
                    kind, "alert-danger")
                plain = "" if kind in ("saved", "cancelled") else " bosim-problems"
                parts.append(ui.div(text, class_=f"alert {style}{plain}", id=f"message-{kind}"))
            for text in open_error():
                parts.append(ui.div(text, class_="alert alert-danger bosim-problems",
                                    id="message-open"))
            return ui.TagList(*parts)

        progress: reactive.Value[int] = reactive.Value(0)

        def plan_name(current: Opened) -> str:
            typed = str(input.save_name() or "").strip()
            return typed or word("changed_plan", lang_now(), name=current.path.stem)

        def runnable() -> tuple[Opened, PlanState] | None:
            current = opened.get()
            state = plan()
            if current is None:
                return None
            if state.problems:
                message.set(("refused", "\n".join([word("problems", lang_now()),
                                                   *state.problems])))
                return None
            return current, state

        def plans_for(work: Work, current: Opened, state: PlanState) -> list[PlanChoice]:
            """The plans to simulate, base first.

            A run: the plan as changed. A comparison: the file as it is, the changed plan
            and the plans chosen under "also compare with".
            """
            original = str(current.path)
            if work == "run":
                name = plan_name(current) if state.overrides else current.path.stem
                return [PlanChoice(original, name, state.overrides)]
            plans = [PlanChoice(original, current.path.stem)]
            if state.overrides:
                plans.append(PlanChoice(original, plan_name(current), state.overrides))
            plans.extend(PlanChoice(path, Path(path).stem) for path in input.compare_also() or ())
            return plans

        def start(work: Work) -> None:
            lang = lang_now()
            current_job = job.get()
            if current_job is not None and not current_job.finished:
                message.set(("refused", word("running", lang)))
                return
            ready = runnable()
            if ready is None:
                return
            plans = plans_for(work, *ready)
            if work == "compare" and len(plans) < 2:
                message.set(("refused", word("nothing_to_compare", lang)))
                return
            message.set(("", ""))
            started = Job(Request(work, tuple(plans), _replications(), lang,
                                  str(RESULTS_FOLDER)))
            running[:] = [started]
            job.set(started)

        @reactive.effect
        @reactive.event(input.run)
        def _run() -> None:
            start("run")

        @reactive.effect
        @reactive.event(input.compare)
        def _compare() -> None:
            start("compare")

        @reactive.effect
        @reactive.event(input.cancel)
        def _cancel() -> None:
            current = job.get()
            if current is not None and not current.finished:
                current.cancel()
                message.set(("cancelled", word("cancelled", lang_now())))
                progress.set(progress.get() + 1)

        @reactive.effect
        def _follow() -> None:
            current = job()
            if current is None or current.finished:
                return
            reactive.invalidate_later(POLL_SECONDS)
            current.poll()
            with reactive.isolate():
                progress.set(progress.get() + 1)
            if current.outcome is not None:
                outcome.set(current.outcome)
                ui.update_navset("tabs", selected="results")
            elif current.error is not None:
                message.set(("failed", f"{word('failed', lang_now())}\n{current.error}"))

        @reactive.effect
        @reactive.event(input.save)
        def _save() -> None:
            ready = runnable()
            if ready is None:
                return
            current, state = ready
            name = str(input.save_name() or "").strip()
            try:
                written = save_plan(current.path, state.overrides, name)
            except InputError as error:
                message.set(("refused", str(error)))
                return
            message.set(("saved", word("saved", lang_now(), path=shown_path(written),
                                        original=shown_path(current.path))))
            saved_plans.set(saved_plans.get() + 1)

        @render.ui
        def results_view() -> ui.TagChild:
            lang = lang_now()
            finished = outcome()
            if finished is None:
                return ui.p(word("no_results", lang))
            return page.results_view(finished, lang)

        def _download_name(file: str) -> str:
            finished = outcome.get()
            return f"{Path(finished.folder).name}-{file}" if finished else file

        @render.download_button(filename=lambda: _download_name("report.html"))
        def download_report() -> str:
            finished = outcome.get()
            assert finished is not None
            return str(Path(finished.folder) / "report.html")

        @render.download_button(filename=lambda: _download_name(_spreadsheet(outcome.get())))
        def download_spreadsheet() -> str:
            finished = outcome.get()
            assert finished is not None
            return str(Path(finished.folder) / _spreadsheet(finished))

        def _ended() -> None:
            for one in running:
                one.cancel()

        session.on_ended(_ended)

    return App(app_ui, server)


def _spreadsheet(finished: Outcome | None) -> str:
    """The spreadsheet of a results folder: a comparison's or a run's summary."""
    return "comparison.xlsx" if finished is not None and finished.work == "compare" \
        else "summary.xlsx"
