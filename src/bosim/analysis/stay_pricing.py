"""Occupied days priced by the length of the stay: payer rules such as Denmark's § 110 refund.

A place's ``price_by_stay`` gives a price and a payer per step of the days a person has
spent in the place in the calendar year: e.g. the state pays days 0-89, the municipality
from day 90 on. The count is per person and place, summed over the person's stays in the
year, and starts again on the first day of each simulated year (years of 365 days from
day 0). Days are read from the recorded stays
(:attr:`~bosim.engine.record.ReplicationRecord.stays`), so a new rule, price or payer
needs no new simulation (the same design as :mod:`bosim.analysis.costs`).

A stay goes on while its person is away in an institution with the unit kept for them,
so the days priced are the same occupied days ``cost_per_occupied_day`` prices.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt

from bosim.engine import ReplicationRecord
from bosim.engine.record import StayColumn
from bosim.units import DAYS_PER_YEAR

FloatArray = npt.NDArray[np.float64]


def days_by_step(record: ReplicationRecord, place: int,
                 from_days: Sequence[int]) -> FloatArray:
    """``[observed year, step]``: occupied days of ``place`` in each step of a stay rule.

    ``from_days`` are the steps' first days, ascending and starting at 0; step i holds the
    days from ``from_days[i]`` up to the next step's first day, counted per person over
    their stays in the place in the calendar year.
    """
    bounds = np.array([*from_days, np.inf], dtype=float)
    stays = record.stays[record.stays[:, StayColumn.PLACE] == place]
    stays = stays[np.lexsort((stays[:, StayColumn.START], stays[:, StayColumn.PERSON]))]
    person = stays[:, StayColumn.PERSON]
    first_of_person = np.ones(len(stays), dtype=bool)
    first_of_person[1:] = person[1:] != person[:-1]
    result = np.zeros((record.observed_years, len(from_days)))
    for observed in range(record.observed_years):
        year_start = (record.warmup_years + observed) * DAYS_PER_YEAR
        days = np.clip(np.minimum(stays[:, StayColumn.END], year_start + DAYS_PER_YEAR)
                       - np.maximum(stays[:, StayColumn.START], year_start), 0.0, None)
        # Days the person had already spent in the place this year, before this stay.
        cumulative = np.cumsum(days)
        group_start = np.maximum.accumulate(np.where(first_of_person, np.arange(len(stays)), 0))
        before = cumulative - days - (cumulative[group_start] - days[group_start])
        after = before + days
        for step in range(len(from_days)):
            low, high = bounds[step], bounds[step + 1]
            overlap = np.minimum(after, high) - np.maximum(before, low)
            result[observed, step] = np.clip(overlap, 0.0, None).sum()
    return result


def stay_cost_lines(record: ReplicationRecord, place: int,
                    steps: Sequence[tuple[int, float, dict[str, float]]]
                    ) -> Iterator[tuple[str, FloatArray]]:
    """(payer, cost per observed year) of a place's ``price_by_stay`` steps.

    ``steps`` as :meth:`bosim.scenario.model.Place.stay_steps` gives them: (first day,
    price per day, payer to share), in day order.
    """
    days = days_by_step(record, place, [from_day for from_day, _, _ in steps])
    by_payer: dict[str, FloatArray] = {}
    for index, (_, price, shares) in enumerate(steps):
        for payer, share in shares.items():
            if price and share:
                cost = by_payer.setdefault(payer, np.zeros(record.observed_years))
                cost += price * share * days[:, index]
    yield from by_payer.items()
