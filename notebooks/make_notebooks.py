"""Write the tutorial notebooks (outputs cleared). Run from the repository root:

    python notebooks/make_notebooks.py

The notebooks are generated so that their code stays in one reviewed place; the test
suite executes every notebook top to bottom (tests/test_notebooks.py).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent

QUICKSTART = [
    new_markdown_cell(
        "# 01 Quickstart: a scenario, a simulation, the results as DataFrames\n\n"
        "bosim simulates how people who are homeless move through shelters, temporary "
        "housing, bofellesskap, Housing First and ordinary housing. This notebook runs the "
        "bundled example municipality and reads the results."
    ),
    new_code_cell(
        "from pathlib import Path\n\n"
        "import bosim\n"
        "import bosim.plot\n\n"
        "ROOT = Path.cwd() if (Path.cwd() / 'scenarios').exists() else Path.cwd().parent\n"
        "scenario = bosim.load_scenario(ROOT / 'scenarios' / 'example.toml')\n"
        "scenario.meta.name, list(scenario.places), [s.name for s in scenario.segments]"
    ),
    new_markdown_cell(
        "Simulate. Ten replications are enough to read the results; the scenario's own "
        "default (30) gives tighter intervals. The same seed always gives the same numbers."
    ),
    new_code_cell("results = bosim.simulate(scenario, replications=10, seed=1)"),
    new_markdown_cell(
        "The summary: every metric with its mean, standard deviation and 95 % interval over "
        "replications. `place` is empty for whole-system metrics, `segment` empty for the "
        "whole target group."
    ),
    new_code_cell(
        "summary = results.summary\n"
        "total = summary[(summary.place == '') & (summary.segment == '')]\n"
        "total.set_index('metric')[['mean', 'ci_low', 'ci_high']].head(12)"
    ),
    new_markdown_cell(
        "The same metrics for each group of people (segment): who waits, who loses housing."
    ),
    new_code_cell(
        "groups = summary[(summary.place == '') & (summary.segment != '')]\n"
        "key = ['housing_retention_12m', 'homeless_days_per_person_year', 'person_years']\n"
        "groups[groups.metric.isin(key)].pivot(index='segment', columns='metric', "
        "values='mean').round(2)"
    ),
    new_code_cell(
        "places = summary[summary.metric.isin(['mean_occupancy', 'utilization', "
        "'mean_wait_days', 'waiting_end']) & (summary.segment == '')]\n"
        "places.pivot(index='place', columns='metric', values='mean').round(2)"
    ),
    new_markdown_cell(
        "Occupancy over time (monthly averages per replication) and costs by payer and year."
    ),
    new_code_cell(
        "monthly = results.timeseries\n"
        "monthly[monthly.day >= 0].groupby('place')['occupancy'].mean().round(1)"
    ),
    new_code_cell(
        "results.costs.groupby(['year', 'payer'])['cost'].sum().unstack() "
        "/ results.replication_count / 1e6"
    ),
    new_markdown_cell("The same figures as in the report, as matplotlib figures to restyle:"),
    new_code_cell("figure = bosim.plot.occupancy(results)"),
    new_code_cell("figure = bosim.plot.retention(results)"),
    new_markdown_cell(
        "Change a key and run again with the same seed: the two runs meet the same people, "
        "so the difference is the policy, not noise."
    ),
    new_code_cell(
        "bigger = bosim.with_overrides(scenario, {'places.housing_first.capacity': 12})\n"
        "more = bosim.simulate(bigger, replications=10, seed=1)\n"
        "for metric in ['housing_retention_12m', 'homeless_days_per_person_year', 'cost_pv']:\n"
        "    print(metric, round(more.metric(metric) - results.metric(metric), 3))"
    ),
]

STAFFING = [
    new_markdown_cell(
        "# 02 Staffing plans: which plan buys housing stability cheapest?\n\n"
        "The NORCE (2021) report found that services open 08-16 while crises happen at "
        "night, and asked whether shared housing with Housing First's staffing would do as "
        "well as Housing First. `scenarios/staffing/` holds the plans (see its README for "
        "sources and assumptions)."
    ),
    new_code_cell(
        "from pathlib import Path\n\n"
        "import bosim\n"
        "import bosim.plot\n\n"
        "ROOT = Path.cwd() if (Path.cwd() / 'scenarios').exists() else Path.cwd().parent\n"
        "folder = ROOT / 'scenarios' / 'staffing'\n"
        "names = ['base', 'shared_office_hours', 'shared_hf_staffing', 'housing_first']\n"
        "plans = [bosim.load_scenario(folder / f'{name}.toml') for name in names]"
    ),
    new_markdown_cell(
        "Compare every plan with the base (no team) on the same people: differences are "
        "paired by replication, money in the base's perspective."
    ),
    new_code_cell(
        "comparison = bosim.compare(*plans, names=names, replications=6)\n"
        "table = comparison.table\n"
        "key = ['housing_retention_12m', 'unmet_crisis_share', 'incremental_cost_pv',\n"
        "       'incremental_housed_person_years_pv', 'icer_cost_per_housed_year']\n"
        "view = table[(table.place == '') & (table.segment == '') & table.metric.isin(key)]\n"
        "view.pivot(index='metric', columns='alternative', values='diff_mean').round(3)"
    ),
    new_code_cell("figure = bosim.plot.forest(comparison)"),
    new_code_cell("figure = bosim.plot.cost_effect(comparison)"),
    new_markdown_cell(
        "Sweep the Housing First team's FTE and its hours: at each point the same people "
        "and crises, so the curve shows what staff buy."
    ),
    new_code_cell(
        "sweep = bosim.sweep(\n"
        "    plans[3],\n"
        "    {'teams.hf_team.fte': [4.0, 7.0, 10.0],\n"
        "     'teams.hf_team.hours': ['mon-fri 08:00-16:00', '24/7']},\n"
        "    replications=4,\n"
        ")\n"
        "figure = bosim.plot.sweep(sweep, 'housing_retention_12m')"
    ),
    new_code_cell(
        "points = sweep.table[sweep.table.metric.isin(['housing_retention_12m', 'cost_pv'])\n"
        "                     & (sweep.table.segment == '')]\n"
        "points.pivot_table(index=['teams.hf_team.fte', 'teams.hf_team.hours'], "
        "columns='metric', values='mean')"
    ),
    new_markdown_cell(
        "Reading it: the hours matter more than the headcount; more staff in office hours "
        "buy little stability, 24/7 cover buys a lot. Which plan is cheapest per extra "
        "housed person-year is the ICER row above."
    ),
]

R109 = [
    new_markdown_cell(
        "# 03 Housing First against the staircase, the R-109 way\n\n"
        "A socio-economic analysis after Finansdepartementet's circular R-109/21 and DFØ's "
        "guide: a baseline (nullalternativ), costs by payer in three perspectives, "
        "discounting with the Norwegian step-down, and the effects that cannot be priced "
        "listed beside the priced ones. The pair of scenarios is calibrated to the "
        "At Home/Chez Soi trial (73 % against 31 % stably housed at one year); see "
        "`scenarios/CALIBRATION.md`."
    ),
    new_code_cell(
        "from pathlib import Path\n\n"
        "import bosim\n"
        "import bosim.plot\n"
        "from bosim.analysis.costs import discount_factors\n\n"
        "ROOT = Path.cwd() if (Path.cwd() / 'scenarios').exists() else Path.cwd().parent\n"
        "staircase = bosim.load_scenario(ROOT / 'scenarios' / 'staircase.toml')\n"
        "housing_first = bosim.load_scenario(ROOT / 'scenarios' / 'housing_first_pair.toml')"
    ),
    new_markdown_cell(
        "**Baseline and alternative.** The staircase model is the nullalternativ; Housing "
        "First is the measure. Same people, same seed."
    ),
    new_code_cell(
        "comparison = bosim.compare(staircase, housing_first, names=['staircase', "
        "'housing_first'], replications=8)\n"
        "table = comparison.table\n"
        "effects = ['housing_retention_12m', 'homeless_days_per_person_year', "
        "'breakdowns_per_100_person_years']\n"
        "table[(table.place == '') & (table.segment == '') & table.metric.isin(effects)][\n"
        "    ['metric', 'base_mean', "
        "'alternative_mean', 'diff_mean', 'ci_low', 'ci_high']].round(3)"
    ),
    new_markdown_cell(
        "**Perspectives.** The municipality's budget, public money (municipality and state), "
        "and society (everyone, plus the 20 % tax financing cost on public money). Money is "
        "priced after the simulation, so changing perspective does not simulate again."
    ),
    new_code_cell(
        "rows = {}\n"
        "for perspective in ['municipality', 'public', 'society']:\n"
        "    base = bosim.price(comparison.results['staircase'], "
        "{'economics.perspective': perspective})\n"
        "    alt = bosim.price(comparison.results['housing_first'], "
        "{'economics.perspective': perspective})\n"
        "    rows[perspective] = (alt.metric('cost_pv') - base.metric('cost_pv')) / 1e6\n"
        "rows  # extra cost of Housing First, present value, million NOK"
    ),
    new_markdown_cell(
        "**Discounting.** R-109: 4 % real for the first 40 years, 3 % to year 75, 2 % after. "
        "A flat rate can be tried without simulating again:"
    ),
    new_code_cell(
        "print(discount_factors(10, None).round(3))\n"
        "for rate in [None, 0.02, 0.06]:\n"
        "    alt = bosim.price(comparison.results['housing_first'], "
        "{'economics.discount_rate': rate})\n"
        "    base = bosim.price(comparison.results['staircase'], "
        "{'economics.discount_rate': rate})\n"
        "    print(rate or 'R-109', round((alt.metric('cost_pv') - base.metric('cost_pv')) "
        "/ 1e6, 2))"
    ),
    new_markdown_cell(
        "**Priced and unpriced effects.** The net present value of the priced effects is "
        "minus the extra cost; the extra housed person-years and homeless days avoided are "
        "not priced and stand beside it, with the cost per extra housed person-year."
    ),
    new_code_cell(
        "economic = ['incremental_cost_pv', 'npv_priced', "
        "'incremental_housed_person_years_pv', 'homeless_days_avoided', "
        "'icer_cost_per_housed_year']\n"
        "table[table.metric.isin(economic)][['metric', 'diff_mean', 'ci_low', 'ci_high']]"
    ),
    new_code_cell("figure = bosim.plot.cost_effect(comparison)"),
    new_markdown_cell(
        "Not priced here, to be judged beside the numbers: quality of life, safety for "
        "the residents and their neighbours, children's conditions, and the value of a "
        "home in itself. Sensitivity: rerun with other breakdown rates or prices (`--set`, "
        "`bosim.with_overrides`) and with `bosim sweep`."
    ),
]


UNCERTAINTY = [
    new_markdown_cell(
        "# 04 Parameter uncertainty: PSA, CEAC, EVPI and a tornado\n\n"
        "The intervals of `bosim.simulate` and `bosim.compare` are simulation noise only: "
        "they shrink with more replications, whatever we do not know about the inputs. "
        "This notebook adds the other kind, **parameter uncertainty**, for the staffing "
        "question: shared housing with staff in office hours against Housing First with "
        "a 24/7 team (`scenarios/staffing/`). It is kept small to run in seconds (16 "
        "draws, 2 replications each); a real analysis uses a few hundred draws and enough "
        "replications for the warning below to go away (`bosim psa ... --draws 300 -r 10 -j "
        "2` from the command line, or on a dask cluster with `--executor dask`)."
    ),
    new_code_cell(
        "from pathlib import Path\n\n"
        "import matplotlib.pyplot as plt\n"
        "import numpy as np\n\n"
        "import bosim\n"
        "import bosim.api\n"
        "from bosim.presentation.figures import tornado as tornado_figure\n\n"
        "ROOT = Path.cwd() if (Path.cwd() / 'scenarios').exists() else Path.cwd().parent\n"
        "STAFFING = ROOT / 'scenarios' / 'staffing'\n"
        "shared = bosim.load_scenario(STAFFING / 'shared_office_hours.toml')\n"
        "housing_first = bosim.load_scenario(STAFFING / 'housing_first.toml')"
    ),
    new_markdown_cell(
        "## The register\n\n"
        "Each `[uncertainty.<name>]` table of a scenario (inherited from `base.toml` "
        "through `extends`) names one input, its distribution and its source. Rates that "
        "change what happens (exits, breakdowns, crises) need a new simulation per draw; "
        "prices only need the money counted again. Entries with the same name in both "
        "plans get the same draw, so the plans are compared at the same state of the world."
    ),
    new_code_cell(
        "{name: (', '.join(parameter.keys), parameter.source[:70])\n"
        " for name, parameter in housing_first.uncertainty.items()}"
    ),
    new_markdown_cell(
        "## The draws\n\n"
        "A scrambled Latin hypercube of 16 draws, seeded from the scenario's seed. Draw "
        "*k* of both plans is simulated as sample *k* with the same random numbers "
        "(common random numbers), so the difference between plans is not blurred by "
        "different people."
    ),
    new_code_cell(
        "analysis = bosim.api.psa(shared, housing_first, draws=16, replications=2, jobs=2,\n"
        "                         names=['shared_office_hours', 'housing_first'])\n"
        "print(analysis.simulations, 'replications simulated,', analysis.saved, 're-priced')\n"
        "analysis.parameters.pivot(index='sample', columns='parameter', values='value')"
        ".round(3).head()"
    ),
    new_markdown_cell(
        "## Which plan is the best value, how often: the CEAC per perspective\n\n"
        "At a willingness to pay *λ* per (discounted) housed person-year, a plan's net "
        "benefit is *λ* × housed person-years − cost. The cost-effectiveness "
        "acceptability curve is the share of draws in which each plan has the highest net "
        "benefit. Whose money counts changes the answer: the municipality's budget alone, "
        "the public purse (+ the state) or society (R-109/21)."
    ),
    new_code_cell(
        "wtps = np.arange(0, 2_000_001, 100_000, dtype=float)\n"
        "ceac = analysis.acceptability(wtps)\n"
        "figure, axes = plt.subplots(1, 3, figsize=(12, 3.2), sharey=True)\n"
        "for axis, perspective in zip(axes, ['municipality', 'public', 'society'], strict=True):\n"
        "    own = ceac[(ceac.perspective == perspective) "
        "& (ceac.alternative == 'housing_first')]\n"
        "    axis.plot(own.wtp / 1e6, own.probability_best)\n"
        "    axis.set_title(perspective)\n"
        "    axis.set_xlabel('NOK million per housed year')\n"
        "axes[0].set_ylabel('P(Housing First is best)')\n"
        "figure.tight_layout()"
    ),
    new_markdown_cell(
        "## What information is worth: EVPI and EVPPI\n\n"
        "EVPI is what choosing with every parameter known would gain, on average, over "
        "choosing now (NOK per decision). EVPPI is the same for one parameter: the one with "
        "the largest is worth measuring first. With few draws these are rough."
    ),
    new_code_cell(
        "wtp = 1_000_000.0\n"
        "partial = analysis.partial_values(wtp)\n"
        "partial[partial.perspective == 'society'].round(0)"
    ),
    new_markdown_cell(
        "## Parameter uncertainty or simulation noise?\n\n"
        "Between-draw against within-draw variance (one-way ANOVA). If the parameter "
        "share of the net benefit is small, the CEAC mostly shows noise: more replications "
        "per draw (`replications_for_80`) come before more draws."
    ),
    new_code_cell(
        "analysis.variance(wtp).round(3)"
    ),
    new_code_cell(
        "for warning in analysis.warnings(wtp):\n"
        "    print(warning)"
    ),
    new_markdown_cell(
        "## One parameter at a time: a tornado\n\n"
        "Each register entry at its low and high value (the 10th and 90th percentiles), the "
        "others at their values in the scenario, all with the same seed. The outcome is "
        "Housing First's net benefit minus shared housing's at 1 million NOK per housed "
        "year. Dirichlet entries (shares drawn together) have no single low and high and "
        "are left out."
    ),
    new_code_cell(
        "table = bosim.api.tornado(shared, housing_first, metric='net_benefit', wtp=wtp,\n"
        "                          replications=2, jobs=2)\n"
        "tornado_figure(table, 'incremental net benefit (NOK)')\n"
        "table.round(0)"
    ),
]


def write(name: str, cells: list[object]) -> None:
    """Write one notebook with its outputs cleared."""
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, HERE / name)


if __name__ == "__main__":
    write("01_quickstart.ipynb", QUICKSTART)
    write("02_staffing_plans.ipynb", STAFFING)
    write("03_housing_first_vs_staircase.ipynb", R109)
    write("04_uncertainty.ipynb", UNCERTAINTY)
