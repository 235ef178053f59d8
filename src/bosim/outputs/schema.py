"""The documented schema of every file of a results folder: names, types, units, meanings.

A run, a comparison and a sweep each write a folder. This module says, as data, which
files each folder holds and what every column (or, for ``manifest.json``, every key)
means. ``docs/outputs.md`` is generated from it (``docs/make_docs.py``), and a test writes
real folders and checks every file's columns against it, in order, so the documentation
cannot drift from what bosim writes.

Money columns are in the scenario's ``meta.currency`` at ``meta.price_year`` prices.
Times are days from the start of the observed window (negative in the warm-up). The
texts (what a file holds, what a column means) are Markdown, as they appear in the docs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ValueType = Literal[
    "whole number", "number", "text", "list", "table", "date and time", "true or false"
]
"""The type of a column or key, as a person reads it (``table``: a JSON object)."""


@dataclass(frozen=True)
class Column:
    """One column of a table, or one key of a JSON file."""

    name: str
    type: ValueType
    unit: str
    """The unit; empty where there is none (names, counts of nothing in particular)."""
    meaning: str
    only: str = ""
    """When the column or key is present, if not always (e.g. ``in a comparison's runs``)."""


@dataclass(frozen=True)
class Term:
    """One value a text column can hold, and what it means."""

    value: str
    meaning: str


@dataclass(frozen=True)
class OutputFile:
    """One file (or subfolder) of a results folder."""

    name: str
    holds: str
    columns: tuple[Column, ...] = ()
    """Columns in the order written (keys, for a JSON file); empty for reports and folders."""
    only: str = ""
    """When the file is written, if not always (e.g. ``with --trace``)."""

    @property
    def column_names(self) -> list[str]:
        """The names of the columns (or keys), in order."""
        return [column.name for column in self.columns]

    @property
    def is_table(self) -> bool:
        """Whether the file is a table (CSV, spreadsheet or Parquet)."""
        return self.name.endswith((".csv", ".xlsx", ".parquet"))


@dataclass(frozen=True)
class Folder:
    """A results folder: what writes it, what it is for, and its files."""

    name: str
    command: str
    """The command line that writes it."""
    python: str
    """The Python call that writes it."""
    holds: str
    files: tuple[OutputFile, ...]

    def file(self, name: str) -> OutputFile:
        """The file called ``name``.

        Raises:
            KeyError: for a file the folder does not have.

        """
        for output in self.files:
            if output.name == name:
                return output
        raise KeyError(name)


# --------------------------------------------------------------------- shared columns

METRIC_UNIT = "the metric's unit"
"""The unit of a value column: each metric's own (``docs/metrics.md``)."""
DAYS_FROM_WINDOW = "days from the start of the observed window"

SAMPLE = Column("sample", "whole number", "",
                "The parameter draw: 0 for a plain run, a comparison or a sweep.")
REPLICATION = Column("replication", "whole number", "",
                     "Replication number within the sample, from 0. Replication i of two "
                     "plans run with the same seed meets the same people.")
METRIC = Column("metric", "text", "", "The metric's name ([metrics.md](metrics.md)).")
SEGMENT = Column("segment", "text", "",
                 "The segment (group of people) the row is for; empty for the total over "
                 "all segments.")
PLACE = Column("place", "text", "",
               "The place the row is for (a team's name for team metrics); empty for "
               "whole-system and money metrics.")
UNIT = Column("unit", "text", "",
              "The metric's unit, with the scenario's currency and price year for money "
              "(e.g. NOK (2025 prices)).")
MEAN = Column("mean", "number", METRIC_UNIT, "Mean over replications.")
STANDARD_DEVIATION = Column("sd", "number", METRIC_UNIT,
                            "Standard deviation over replications; empty with one "
                            "replication.")
LOW = Column("ci_low", "number", METRIC_UNIT,
             "Lower end of the 95 % Student-t confidence interval of the mean, cut at the "
             "values the metric can take (not below 0); empty with one replication.")
HIGH = Column("ci_high", "number", METRIC_UNIT,
              "Upper end of the 95 % Student-t confidence interval of the mean, cut at the "
              "values the metric can take (not above 1 for a share); empty with one "
              "replication.")
COUNT = Column("n", "whole number", "replications",
               "Replications in which the metric was defined (a place with no admissions "
               "has no mean wait, for one).")
PERSON_SEGMENT = Column("segment", "text", "", "The person's segment (group of people).")
"""The segment column of the tables with one row per person or move."""
SUMMARY = (METRIC, SEGMENT, PLACE, MEAN, STANDARD_DEVIATION, LOW, HIGH, COUNT)
VALUE = Column("value", "number", METRIC_UNIT,
               "The metric in this replication; empty where it is undefined (no admissions, "
               "no housing starts).")
REPLICATIONS = (SAMPLE, REPLICATION, METRIC, SEGMENT, PLACE, VALUE)

# --------------------------------------------------------------------- value lists

EVENT_KINDS: tuple[Term, ...] = (
    Term("arrival", "A new person joins the target group (place and target empty)."),
    Term("admission", "The person moves into the place: the one they were headed for "
                      "(target = place), a waiting place (target = where they are headed), "
                      "a new stay in the same place, or an institution after a crisis."),
    Term("end_of_stay", "The person's stay in the place ends: they are ready to move on."),
    Term("leave", "The person leaves a `when_ready = \"leave\"` place, or an institution, "
                  "to wait elsewhere for the target."),
    Term("breakdown", "The person loses their housing in the place (eviction, lost "
                      "tenancy, or after a crisis)."),
    Term("exit", "The person leaves the target group from the place."),
    Term("crisis_handled", "A crisis in the place that a staff member handled in time."),
    Term("crisis_unhandled", "A crisis in the place nobody from the services handled."),
    Term("emergency", "An emergency after a crisis (police, ambulance, emergency room), "
                      "including an admission a full institution could not take."),
    Term("return", "Back from an institution to the unit the person kept (place and "
                   "target are that unit's place)."),
    Term("found", "An outreach team found the person in the hidden place (target empty); "
                  "an `end_of_stay` follows at once."),
)
"""The ``event`` column of ``events.parquet``."""

SPELL_ENDINGS: tuple[Term, ...] = (
    Term("homeless", "The person entered a homeless place (street, acute, temporary)."),
    Term("exit", "The person left the target group."),
    Term("censored", "Still not homeless at the end of the horizon."),
)
"""The ``ending`` column of ``spells.parquet``."""

COST_ITEMS: tuple[Term, ...] = (
    Term("<place>/unit_days", "`cost_per_unit_day` × open units × days (occupied units for "
                              "an unlimited place)."),
    Term("<place>/occupied_days", "`cost_per_occupied_day` × occupied unit-days, including "
                                  "units kept for residents away in an institution."),
    Term("<place>/admissions", "`cost_per_admission` × admissions to the place."),
    Term("<place>/breakdowns", "`cost_per_breakdown` × breakdowns in the place."),
    Term("<team>/staff", "`fte` × `cost_per_fte_year`, every observed year."),
    Term("events/emergency", "`costs.events.emergency` × emergencies after crises."),
    Term("events/crisis_handled", "`costs.events.crisis_handled` × crises staff handled."),
    Term("events/crisis_unhandled",
         "`costs.events.crisis_unhandled` × crises nobody handled."),
)
"""The ``item`` column of ``costs.parquet``; only lines with a price above 0 appear."""

PAYERS: tuple[Term, ...] = (
    Term("municipality", "The municipality (kommunen)."),
    Term("state", "The state (e.g. specialist health care, police)."),
    Term("other", "Anyone else, e.g. tenants paying rent."),
)
"""The ``payer`` column of ``costs.parquet`` (the scenario's ``payer`` keys)."""

ARRIVAL_ORIGIN = "(arrival)"
"""``origin`` of a move into the target group in ``flows.parquet``."""
EXIT_DESTINATION = "(exit)"
"""``destination`` of a move out of the target group in ``flows.parquet``."""


def _values(terms: tuple[Term, ...]) -> str:
    return ", ".join(f"`{term.value}`" for term in terms)


# --------------------------------------------------------------------- run folder

REPORT = OutputFile(
    "report.html",
    "The report for a planner: one self-contained page (figures embedded, nothing fetched "
    "from the network), readable in a browser, printable; `bosim report DIR` renders it again "
    "from the folder's files.",
)

RUN_MANIFEST = OutputFile(
    "manifest.json",
    "What makes the folder explain itself: the resolved scenario, the input files with "
    "their hashes, the seed, times and versions.",
    (
        Column("format", "text", "", "Always `bosim-run`."),
        Column("bosim_version", "text", "", "The bosim version that wrote the folder."),
        Column("scenario_name", "text", "", "The scenario's `meta.name`."),
        Column("scenario_files", "list", "",
               "Every scenario file read (the file and those it extends), each with its "
               "`path` and `sha256` (the SHA-256 of its bytes)."),
        Column("scenario", "table", "",
               "The resolved scenario (after `extends` and `--set`), with every key; "
               "`bosim.scenario.scenario_from_dict` reads it back."),
        Column("seed", "whole number", "", "The seed the run used."),
        Column("replications", "whole number", "replications", "Replications per sample."),
        Column("samples", "list", "", "The parameter draws in the folder (the `sample` column)."),
        Column("jobs", "whole number", "processes",
               "Worker processes used; the numbers do not depend on it."),
        Column("started", "date and time", "UTC", "When the simulation started (ISO 8601)."),
        Column("finished", "date and time", "UTC",
               "When the simulation finished (ISO 8601)."),
        Column("python", "text", "", "The Python version."),
        Column("packages", "table", "",
               "Versions of the packages bosim relies on (SimPy, NumPy, SciPy, pandas, "
               "PyArrow, pydantic, Matplotlib)."),
        Column("plan", "text", "", "The plan's name in the comparison.",
               only="in a comparison's runs"),
    ),
)

RUN_FOLDER = Folder(
    "Run folder",
    "bosim run SCENARIO.toml -o DIR",
    "bosim.save(bosim.simulate(scenario), DIR)",
    "One scenario simulated: its metrics with intervals, every replication, month, cost "
    "line, wait, move and housing spell.",
    (
        RUN_MANIFEST,
        OutputFile(
            "summary.csv",
            "Every metric summarised over replications: mean, standard deviation and 95 % "
            "interval. One row per metric, segment and place.",
            SUMMARY,
        ),
        OutputFile(
            "summary.xlsx",
            "The same summary for Excel (sheet `summary`), with a unit on every row.",
            (METRIC, SEGMENT, PLACE, UNIT, *SUMMARY[3:]),
        ),
        OutputFile(
            "replications.parquet",
            "Every metric in every replication: the values `summary.csv` summarises.",
            REPLICATIONS,
        ),
        OutputFile(
            "timeseries.parquet",
            "Monthly time-averages of occupancy and queues by place (a month is 365 / 12 "
            "days), warm-up included, to see whether the warm-up was long enough.",
            (
                SAMPLE, REPLICATION,
                Column("day", "number", DAYS_FROM_WINDOW,
                       "First day of the month; negative in the warm-up."),
                Column("place", "text", "", "The place."),
                Column("occupancy", "number", "units",
                       "Time-average occupied units in the month, including units kept for "
                       "residents away in an institution."),
                Column("queue", "number", "people",
                       "Time-average number of people waiting for the place in the month "
                       "(headed for it, not yet admitted)."),
            ),
        ),
        OutputFile(
            "costs.parquet",
            "Every priced line by observed year, whatever the perspective (the perspective "
            "decides which payers' lines the money metrics add up).",
            (
                SAMPLE, REPLICATION,
                Column("year", "whole number", "observed year",
                       "Observed year, from 0 (the first year after the warm-up)."),
                Column("item", "text", "",
                       f"What is priced: {_values(COST_ITEMS)} (see below)."),
                Column("payer", "text", "", f"Who pays: {_values(PAYERS)}."),
                Column("cost", "number", "money",
                       "The cost in the year, at fixed prices, not discounted."),
                Column("cost_pv", "number", "money",
                       "The same, discounted to the start of the observed window (R-109)."),
            ),
        ),
        OutputFile(
            "waits.parquet",
            "Completed waits: one row per admission in the observed window of a person "
            "headed for the place (the waits behind `mean_wait_days` and `p90_wait_days`).",
            (
                SAMPLE, REPLICATION,
                Column("place", "text", "", "The place waited for."),
                PERSON_SEGMENT,
                Column("wait_days", "number", "days",
                       "From joining the place's queue to admission."),
            ),
        ),
        OutputFile(
            "open_waits.parquet",
            "Waits not yet over: one row per person still in a place's queue at the end of "
            "the horizon (the waits behind `mean_open_wait_days`).",
            (
                SAMPLE, REPLICATION,
                Column("place", "text", "", "The place waited for."),
                PERSON_SEGMENT,
                Column("wait_days", "number", "days",
                       "Days waited so far, from joining the queue to the end of the "
                       "horizon."),
            ),
        ),
        OutputFile(
            "flows.parquet",
            "Moves between places in the observed window, counted by segment, origin and "
            "destination.",
            (
                SAMPLE, REPLICATION, PERSON_SEGMENT,
                Column("origin", "text", "",
                       f"The place moved from; `{ARRIVAL_ORIGIN}` for a new person."),
                Column("destination", "text", "",
                       f"The place moved to; `{EXIT_DESTINATION}` for leaving the target "
                       "group."),
                Column("moves", "whole number", "moves", "Number of such moves."),
            ),
        ),
        OutputFile(
            "spells.parquet",
            "Housing spells: from a housing start (a move into a housed place from a "
            "non-housed one) to the first homeless place, leaving the target group, or the "
            "end of the horizon. The retention curve and `housing_retention_12m` come from "
            "these.",
            (
                SAMPLE, REPLICATION, PERSON_SEGMENT,
                Column("start", "number", DAYS_FROM_WINDOW, "The housing start."),
                Column("end", "number", DAYS_FROM_WINDOW,
                       "When the spell ended, or the end of the horizon."),
                Column("ending", "text", "",
                       f"How the spell ended: {_values(SPELL_ENDINGS)} (see below)."),
            ),
        ),
        OutputFile(
            "events.parquet",
            "The event log: one row per event of every person, warm-up included.",
            (
                SAMPLE, REPLICATION,
                Column("time", "number", DAYS_FROM_WINDOW,
                       "When the event happened; negative in the warm-up."),
                Column("person", "whole number", "",
                       "The person's number within the replication."),
                PERSON_SEGMENT,
                Column("event", "text", "",
                       f"What happened: {_values(EVENT_KINDS)} (see below)."),
                Column("place", "text", "",
                       "The place the event happened in; empty where there is none."),
                Column("target", "text", "",
                       "The place the person is headed for; empty where there is none."),
            ),
            only="with `--trace` (`trace=True` in Python)",
        ),
        REPORT,
    ),
)

# --------------------------------------------------------------------- comparison folder

DIFFERENCE = Column("diff_mean", "number", METRIC_UNIT,
                    "The plan minus the base, paired by replication and averaged; for the "
                    "economic rows, the metric itself (e.g. the ICER).")
DIFFERENCE_LOW = Column("ci_low", "number", METRIC_UNIT,
                        "Lower end of the 95 % interval of the difference (Student t; "
                        "paired bootstrap for the cost-per-effect ratios, empty when the "
                        "effect's own interval includes 0).")
DIFFERENCE_HIGH = Column("ci_high", "number", METRIC_UNIT,
                         "Upper end of the same interval.")
ALTERNATIVE = Column("alternative", "text", "",
                     "The plan compared with the base (its name: `meta.name`, or as given).")

COMPARISON_FOLDER = Folder(
    "Comparison folder",
    "bosim compare BASE.toml PLAN.toml ... -o DIR",
    "bosim.save(bosim.compare(base, plan), DIR)",
    "Plans compared with a base on the same people (common random numbers): every "
    "metric's paired difference with its 95 % interval, then the economic rows "
    "([metrics.md](metrics.md), comparisons), and each plan's whole run folder.",
    (
        OutputFile(
            "manifest.json",
            "Which plan is the base, which are the alternatives, where each plan's run "
            "folder is, and the seed.",
            (
                Column("format", "text", "", "Always `bosim-comparison`."),
                Column("base", "text", "", "The base plan's name."),
                Column("alternatives", "list", "", "The other plans' names, in order."),
                Column("runs", "table", "",
                       "Each plan's name to its run folder inside this one (`runs/<plan>`)."),
                Column("seed", "whole number", "", "The seed every plan was simulated with."),
            ),
        ),
        OutputFile(
            "comparison.csv",
            "One row per plan, metric, segment and place: the plan minus the base.",
            (ALTERNATIVE, METRIC, SEGMENT, PLACE, DIFFERENCE, DIFFERENCE_LOW,
             DIFFERENCE_HIGH),
        ),
        OutputFile(
            "comparison.xlsx",
            "The comparison for Excel (sheet `comparison`), with units and both plans' means.",
            (
                ALTERNATIVE, METRIC, SEGMENT, PLACE, UNIT, DIFFERENCE, DIFFERENCE_LOW,
                DIFFERENCE_HIGH,
                Column("base_mean", "number", METRIC_UNIT,
                       "The base's mean over the paired replications; empty for the "
                       "economic rows."),
                Column("alternative_mean", "number", METRIC_UNIT,
                       "The plan's mean over the paired replications; empty for the "
                       "economic rows."),
                Column("n", "whole number", "replications",
                       "Paired replications behind the row."),
            ),
        ),
        OutputFile(
            "runs/<plan>/",
            "A whole run folder for each plan (as above, with its own `report.html`); "
            "`<plan>` is the plan's name in lower case, every run of characters other than "
            "letters, digits, `-` and `_` replaced by `-`.",
        ),
        REPORT,
    ),
)

# --------------------------------------------------------------------- sweep folder

VARIED = Column("<varied key>", "number", "the key's unit ([scenario.md](scenario.md))",
                "One column per `--vary` key path, named by the path (e.g. "
                "`teams.hf_team.fte`): its value at this point.")
"""Stands for the leading columns of ``sweep.csv``: their names are the varied key paths."""

SWEEP_FOLDER = Folder(
    "Sweep folder",
    "bosim sweep SCENARIO.toml --vary PATH=V1,V2,... -o DIR",
    "bosim.save(bosim.sweep(scenario, {path: values}), DIR)",
    "One scenario simulated at every point of a grid of values of some keys, with the "
    "same seed (common random numbers): the summary at each point.",
    (
        OutputFile(
            "manifest.json",
            "The scenario, the varied key paths, the points and the metrics the report plots.",
            (
                Column("format", "text", "", "Always `bosim-sweep`."),
                Column("scenario", "table", "",
                       "The resolved scenario at the first point of the grid (the other "
                       "points differ only in the varied keys)."),
                Column("paths", "list", "", "The varied key paths, in order."),
                Column("points", "list", "",
                       "Every point of the grid, as a list of values in the order of `paths`; "
                       "the `point` column of `replications.parquet` is the position "
                       "here, from 0."),
                Column("metrics", "list", "", "The metrics the report plots."),
            ),
        ),
        OutputFile(
            "sweep.csv",
            "The summary at every point: the varied values, then the summary columns.",
            (VARIED, *SUMMARY),
        ),
        OutputFile(
            "sweep.xlsx",
            "The same for Excel (sheet `sweep`), with a unit on every row.",
            (VARIED, METRIC, SEGMENT, PLACE, UNIT, *SUMMARY[3:]),
        ),
        OutputFile(
            "replications.parquet",
            "Every metric in every replication at every point.",
            (*REPLICATIONS,
             Column("point", "whole number", "",
                    "The point of the grid, from 0 (its values are in `manifest.json`'s "
                    "`points`).")),
        ),
        REPORT,
    ),
)

# --------------------------------------------------------------------- PSA folder

PERSPECTIVE = Column("perspective", "text", "",
                     "Whose money is counted: `municipality`, `public` (+ the state) or "
                     "`society` (+ other payers and the tax financing cost).")
PLAN = Column("alternative", "text", "", "The plan (its name: the scenario file's stem).")
PARAMETER = Column("parameter", "text", "", "The register entry's name (`uncertainty.<name>`).")
WTP = Column("wtp", "number", "money per unit of effect",
             "Willingness to pay: per housed person-year (discounted), or per homeless day "
             "avoided (see `effect`).")
WTP_HOUSED = Column("wtp", "number", "money per housed person-year",
                    "The willingness to pay the table was computed at (`--wtp`).")
EVPI = Column("evpi", "number", "money per decision",
              "Expected value of perfect information: the expected net benefit of choosing "
              "with every parameter known, minus that of choosing now.")

PSA_FOLDER = Folder(
    "PSA folder",
    "bosim psa BASE.toml PLAN.toml ... --draws N -o DIR",
    "bosim.outputs.psa_folder.write_psa_folder(bosim.api.psa(base, plan, draws=N), DIR, wtp)",
    "A probabilistic sensitivity analysis: every plan simulated for every draw of its "
    "`[uncertainty]` register, with the same random numbers for every plan within a "
    "draw; which plan is the best value how often (CEAC), what information is worth "
    "(EVPI, EVPPI) and how much of the spread is parameter uncertainty. While it runs, "
    "finished replications are kept in `DIR.partial` (with `PARTIAL.txt`), from which "
    "`bosim psa --resume DIR.partial` finishes an interrupted run; it is removed once "
    "the folder is written.",
    (
        OutputFile(
            "manifest.json",
            "The design (plans, draws, replications, seed) and what it cost.",
            (
                Column("format", "text", "", "Always `bosim-psa`."),
                Column("bosim_version", "text", "", "The bosim version that wrote the folder."),
                Column("plans", "list", "", "The plans' names, the base first."),
                Column("draws", "whole number", "draws",
                       "Parameter draws (samples 1 to `draws`)."),
                Column("replications", "whole number", "replications",
                       "Replications per draw and plan."),
                Column("seed", "whole number", "",
                       "The seed of the draws and of every replication."),
                Column("perspective", "text", "",
                       "The base's perspective: that of `cost_pv` in `psa.parquet`."),
                Column("currency", "text", "", "The currency of every money value."),
                Column("wtp_per_housed_year", "number", "money per housed person-year",
                       "The willingness to pay of `evppi.csv`, `variance.csv` and the report "
                       "(`--wtp`)."),
                Column("simulations", "whole number", "replications",
                       "Replications simulated."),
                Column("simulations_saved_by_repricing", "whole number", "replications",
                       "Replications re-priced instead of simulated (a register that only "
                       "changes money is simulated once per plan)."),
                Column("warnings", "list", "",
                       "Plain-words warnings, e.g. too few replications for the parameter "
                       "signal to show."),
                Column("sobol_problem", "table", "",
                       "SALib's problem of Saltelli's design.", only="with --sobol"),
                Column("plan_labels", "table", "",
                       "The name a reader sees for each plan (`meta.label`), by language "
                       "(`en`, `nb`) and plan name: `bosim report --lang` uses it."),
            ),
        ),
        OutputFile(
            "psa.parquet",
            "Every metric of every plan in every replication of every draw.",
            (Column("sample", "whole number", "", "The parameter draw, from 1."),
             REPLICATION, PLAN, METRIC, SEGMENT, PLACE, VALUE),
        ),
        OutputFile(
            "parameters.parquet",
            "The drawn value of every register entry in every draw.",
            (Column("sample", "whole number", "", "The parameter draw, from 1."),
             Column("parameter", "text", "",
                    "The register entry (`name`, or `name:key` for a Dirichlet's shares)."),
             Column("value", "number", "the key's unit ([scenario.md](scenario.md))",
                    "The value drawn.")),
        ),
        OutputFile(
            "register.csv",
            "Each register entry as drawn: its distribution, one-way range and source.",
            (PARAMETER,
             Column("paths", "text", "", "The key path(s) it sets, separated by spaces."),
             Column("distribution", "text", "",
                    "The distribution drawn from, with its parameters."),
             Column("low", "number", "the key's unit",
                    "The one-way (tornado) low value; empty for a Dirichlet."),
             Column("high", "number", "the key's unit",
                    "The one-way (tornado) high value; empty for a Dirichlet."),
             Column("group", "text", "", "The correlation group; empty for none."),
             Column("source", "text", "", "Where the range comes from.")),
        ),
        OutputFile(
            "ceac.csv",
            "Cost-effectiveness acceptability curves and frontier, per perspective and "
            "willingness to pay, with the EVPI.",
            (PERSPECTIVE, WTP, PLAN,
             Column("probability_best", "number", "share",
                    "The share of draws in which the plan has the highest net benefit."),
             Column("expected_net_benefit", "number", "money",
                    "The plan's net benefit, averaged over draws."),
             Column("optimal", "true or false", "",
                    "Whether the plan has the highest expected net benefit (the frontier)."),
             EVPI,
             Column("effect", "text", "",
                    "What willingness to pay buys: `housed_year` or `homeless_day_avoided`.")),
        ),
        OutputFile(
            "evppi.csv",
            "Expected value of partial perfect information per parameter and perspective "
            "(regression on a cubic in the parameter, Strong et al. 2014).",
            (PERSPECTIVE, PARAMETER,
             Column("evppi", "number", "money per decision",
                    "What knowing this parameter exactly would be worth."),
             EVPI, WTP_HOUSED),
        ),
        OutputFile(
            "variance.csv",
            "Between-draw (parameter) against within-draw (simulation noise) variance of "
            "the draw means, per plan and outcome.",
            (PLAN,
             Column("metric", "text", "",
                    "The outcome (a metric, or `incremental_net_benefit` against the base)."),
             Column("parameter", "number", "the outcome's unit, squared",
                    "Parameter variance: the variance of the draw means less noise / "
                    "replications (one-way ANOVA, draws as groups)."),
             Column("noise", "number", "the outcome's unit, squared",
                    "Variance of one replication's value within a draw."),
             Column("parameter_share", "number", "share",
                    "Parameter variance over the sum of both (of one replication's "
                    "value)."),
             Column("reliability", "number", "share",
                    "The share of the draw means' variance that is parameter signal."),
             Column("replications_for_80", "number", "replications",
                    "Replications per draw that would make the reliability 0.8.")),
        ),
        OutputFile(
            "sobol.csv",
            "First-order and total Sobol indices of each parameter.",
            (PLAN,
             Column("outcome", "text", "", "The outcome the indices are of."),
             PARAMETER,
             Column("first", "number", "share", "First-order index."),
             Column("first_half_width", "number", "share", "Its 95 % half-width."),
             Column("total", "number", "share", "Total index."),
             Column("total_half_width", "number", "share", "Its 95 % half-width."),
             WTP_HOUSED),
            only="with --sobol",
        ),
        REPORT,
    ),
)

FOLDERS: tuple[Folder, ...] = (RUN_FOLDER, COMPARISON_FOLDER, SWEEP_FOLDER, PSA_FOLDER)
"""Every kind of results folder bosim writes."""
