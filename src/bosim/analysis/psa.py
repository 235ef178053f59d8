"""The results of a probabilistic sensitivity analysis (PSA), and the tables drawn from them.

:func:`bosim.psa` simulates every plan for every parameter draw with the same random
numbers within a draw (sample ``draw``), and returns a :class:`PSA`: every metric per
(sample, replication, alternative) and the drawn parameter values. Money can be counted
in each perspective from the payer parts of ``cost_pv`` without pricing again:
municipality, public (+ state) and society (+ other + the tax financing cost).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from bosim.analysis.decision import (
    evpi,
    evppi,
    net_benefit,
    optimal_plan,
    probability_best,
    sobol_indices,
    variance_shares,
)
from bosim.units import DAYS_PER_YEAR

PSA_COLUMNS = ["sample", "replication", "alternative", "metric", "segment", "place", "value"]
PARAMETER_COLUMNS = ["sample", "parameter", "value"]
PERSPECTIVES = ("municipality", "public", "society")
EFFECTS = {
    "housed_year": "housed_person_years_pv",
    "homeless_day_avoided": "homeless_days_avoided",
}
"""What willingness to pay buys: a (discounted) housed person-year, or a homeless day avoided."""
VARIANCE_METRICS = ("cost_pv", "housed_person_years_pv", "housing_retention_12m",
                    "homeless_days_per_person_year")
RELIABILITY_WARNING = 0.8
"""Below this share of signal in the draw means, bosim warns that R is too small."""
WARNINGS = {
    "en": {
        "one_replication":
            "with one replication per draw, parameter uncertainty and simulation noise cannot "
            "be told apart: the CEAC and EVPI include the noise. Use -r 2 or more.",
        "too_few":
            "{plan}: with {replications} replications per draw, simulation noise is {noise} "
            "of the spread of the net benefit between draws; the CEAC and EVPI overstate the "
            "uncertainty. Use about {needed} replications (-r) or more.",
        "too_few_no_estimate":
            "{plan}: with {replications} replications per draw, simulation noise is {noise} "
            "of the spread of the net benefit between draws; the CEAC and EVPI overstate the "
            "uncertainty. Use many more replications (-r).",
        "percent": "%",
    },
    "nb": {
        "one_replication":
            "med én replikasjon per trekk kan parameterusikkerhet og simuleringsstøy ikke "
            "skilles: akseptkurvene og EVPI tar med støyen. Bruk -r 2 eller mer.",
        "too_few":
            "{plan}: med {replications} replikasjoner per trekk er simuleringsstøyen {noise} "
            "av spredningen i netto nytte mellom trekkene; akseptkurvene og EVPI overdriver "
            "usikkerheten. Bruk om lag {needed} replikasjoner (-r) eller flere.",
        "too_few_no_estimate":
            "{plan}: med {replications} replikasjoner per trekk er simuleringsstøyen {noise} "
            "av spredningen i netto nytte mellom trekkene; akseptkurvene og EVPI overdriver "
            "usikkerheten. Bruk mange flere replikasjoner (-r).",
        "percent": "\u00a0%",
    },
}
"""The PSA's warnings by language."""


@dataclass
class PSA:
    """A probabilistic sensitivity analysis of one or more plans (the first is the base).

    Attributes:
        names: plan names, base first.
        table: ``sample, replication, alternative, metric, segment, place, value``.
        parameters: ``sample, parameter, value``: the draws.
        register: ``parameter, paths, distribution, low, high, group, source``.
        draws, replications, seed: the design.
        perspective: the base's perspective (of ``cost_pv`` in ``table``).
        simulations: replications simulated; ``saved``: replications re-priced instead.
        currency: of every money value.

    """

    names: list[str]
    table: pd.DataFrame
    parameters: pd.DataFrame
    register: pd.DataFrame
    draws: int
    replications: int
    seed: int
    perspective: str
    simulations: int
    saved: int
    currency: str = "NOK"
    sobol_problem: dict[str, Any] | None = None
    """SALib's problem when the draws are in Saltelli's design (``bosim psa --sobol``)."""
    extra_manifest: dict[str, object] = field(default_factory=dict)

    def outcomes(self, perspective: str | None = None) -> pd.DataFrame:
        """Per (sample, alternative, replication): ``cost_pv`` in a perspective and the effects."""
        system = self.table[(self.table.segment == "") & (self.table.place == "")]
        wide = system.pivot_table(index=["sample", "alternative", "replication"],
                                  columns="metric", values="value", aggfunc="first")
        public = wide["cost_pv_municipality"] + wide["cost_pv_state"]
        costs = {
            "municipality": wide["cost_pv_municipality"],
            "public": public,
            "society": public + wide["cost_pv_other"] + wide["tax_financing_cost_pv"],
        }
        frame = pd.DataFrame({
            "cost_pv": costs[perspective] if perspective else wide["cost_pv"],
            "housed_person_years_pv": wide["housed_person_years_pv"],
            "homeless_days_avoided": -wide["homeless_person_years"] * DAYS_PER_YEAR,
        })
        return frame

    def draw_means(self, column: str, perspective: str | None = None) -> np.ndarray:
        """A (draws, plans) array of one outcome's mean over replications, plans in order."""
        means = self.outcomes(perspective)[column].groupby(["sample", "alternative"]).mean()
        return means.unstack("alternative")[self.names].to_numpy(dtype=float)

    def net_benefit(self, wtp: float, perspective: str | None = None,
                    effect: str = "housed_year") -> np.ndarray:
        """(draws, plans) net benefit at ``wtp`` per unit of effect; money, present value."""
        return net_benefit(self.draw_means(EFFECTS[effect], perspective),
                           self.draw_means("cost_pv", perspective), wtp)

    def acceptability(self, wtps: np.ndarray, effect: str = "housed_year") -> pd.DataFrame:
        """CEAC and CEAF in every perspective.

        ``perspective, wtp, alternative, probability_best, expected_net_benefit, optimal,
        evpi``: ``optimal`` marks the plan with the highest expected net benefit (the CEAF
        is its probability_best).
        """
        rows = []
        for perspective in PERSPECTIVES:
            effects = self.draw_means(EFFECTS[effect], perspective)
            costs = self.draw_means("cost_pv", perspective)
            for wtp in wtps:
                net = net_benefit(effects, costs, float(wtp))
                shares, best, value = probability_best(net), optimal_plan(net), evpi(net)
                for position, name in enumerate(self.names):
                    rows.append((perspective, float(wtp), name, float(shares[position]),
                                 float(net[:, position].mean()), position == best, value))
        return pd.DataFrame(rows, columns=["perspective", "wtp", "alternative",
                                           "probability_best", "expected_net_benefit",
                                           "optimal", "evpi"])

    def partial_values(self, wtp: float, effect: str = "housed_year") -> pd.DataFrame:
        """EVPPI per parameter and perspective at ``wtp``, largest first.

        ``perspective, parameter, evppi, evpi``: what learning that one number before
        choosing is worth (money per decision), beside the value of learning all.
        """
        wide = self.parameters.pivot(index="sample", columns="parameter", values="value")
        # A Dirichlet's shares (``name[path]``) are one parameter: regressed on jointly.
        groups: dict[str, list[str]] = {}
        for column in wide.columns:
            groups.setdefault(str(column).split("[")[0], []).append(str(column))
        rows = []
        for perspective in PERSPECTIVES:
            net = self.net_benefit(wtp, perspective, effect)
            total = evpi(net)
            for parameter, columns in groups.items():
                values = wide[columns].to_numpy(dtype=float)
                rows.append((perspective, parameter, evppi(net, values), total))
        table = pd.DataFrame(rows, columns=["perspective", "parameter", "evppi", "evpi"])
        return table.sort_values(["perspective", "evppi"], ascending=[True, False],
                                 ignore_index=True)

    def variance(self, wtp: float) -> pd.DataFrame:
        """Parameter uncertainty against simulation noise, per plan and outcome.

        ``alternative, metric, parameter, noise, parameter_share, reliability,
        replications_for_80`` (see :func:`bosim.analysis.decision.variance_shares`); the
        outcomes are the key metrics and the net benefit against the base at ``wtp``.
        """
        system = self.table[(self.table.segment == "") & (self.table.place == "")]
        rows = []
        for name in self.names:
            plan = system[system.alternative == name]
            for metric in VARIANCE_METRICS:
                grid = plan[plan.metric == metric].pivot(index="sample", columns="replication",
                                                         values="value")
                rows.append((name, metric, *variance_shares(grid.to_numpy(dtype=float)).values()))
        outcomes = self.outcomes()
        net = (wtp * outcomes["housed_person_years_pv"] - outcomes["cost_pv"]).unstack(
            "alternative")
        for name in self.names[1:]:
            grid = (net[name] - net[self.names[0]]).unstack("replication")
            rows.append((name, "incremental_net_benefit",
                         *variance_shares(grid.to_numpy(dtype=float)).values()))
        return pd.DataFrame(rows, columns=["alternative", "metric", "parameter", "noise",
                                           "parameter_share", "reliability",
                                           "replications_for_80"])

    def sobol(self, wtp: float) -> pd.DataFrame:
        """First-order and total Sobol indices of each plan's net benefit against the base.

        ``alternative, outcome, parameter, first, first_half_width, total,
        total_half_width`` (95 % bootstrap half-widths); outcomes are the incremental net
        benefit at ``wtp`` and the incremental ``cost_pv``, in the base's perspective.
        Needs draws in Saltelli's design (``sobol_problem``).
        """
        if self.sobol_problem is None:
            raise ValueError("the draws are not in Saltelli's design: run psa with sobol=True")
        net = self.net_benefit(wtp)
        cost = self.draw_means("cost_pv")
        frames = []
        for position, name in enumerate(self.names[1:], 1):
            for outcome, values in (("incremental_net_benefit", net[:, position] - net[:, 0]),
                                    ("incremental_cost_pv", cost[:, position] - cost[:, 0])):
                found = sobol_indices(values, self.sobol_problem, self.seed)
                frames.append(pd.DataFrame({"alternative": name, "outcome": outcome,
                                            "parameter": found.pop("parameters"), **found}))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def warnings(self, wtp: float, lang: str = "en",
                 labels: Mapping[str, str] | None = None) -> list[str]:
        """Plain-words warnings where R is too small for the parameter signal to show.

        ``lang``: ``en`` or ``nb``; ``labels``: the name a reader sees for each plan.
        """
        texts = WARNINGS[lang]
        if self.replications < 2:
            return [texts["one_replication"]]
        table = self.variance(wtp)
        table = table[table.metric == "incremental_net_benefit"]
        found = []
        for name, reliability, needed in zip(table["alternative"], table["reliability"],
                                             table["replications_for_80"], strict=True):
            if not float(reliability) >= RELIABILITY_WARNING:
                noise = f"{100 * (1 - float(reliability)):.0f}{texts['percent']}"
                key = "too_few" if math.isfinite(float(needed)) else "too_few_no_estimate"
                found.append(texts[key].format(
                    plan=(labels or {}).get(name, name), replications=self.replications,
                    noise=noise, needed=f"{float(needed):.0f}" if key == "too_few" else ""))
        return found
