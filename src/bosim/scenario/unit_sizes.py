"""Rules for places with unit sizes (``units``, ``fits``) and the households that need them.

A household with children (``segments.household``) takes one unit that fits it; these
rules make sure every household can reach a unit on each of its routes, has somewhere to
wait, and that the people present at time 0 fit the units they start in. Each rule yields
an :class:`~bosim.errors.InputError` with the key path and the fix; the loader adds the
file name. :mod:`bosim.scenario.checks` runs them with the other rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bosim.errors import InputError
from bosim.scenario.model import EXIT, Fits, Place, Scenario, Segment


def check_unit_sizes(scenario: Scenario) -> Iterator[InputError]:
    """Every error in the scenario's unit sizes and in which households fit where."""
    for name, place in scenario.places.items():
        yield from _check_place(name, place, scenario.simulation.years)
    for segment in scenario.segments:
        yield from _check_household_fits(scenario, segment)
    yield from _check_waiting_fits(scenario)
    yield from _check_initial_fits(scenario)


def _check_place(name: str, place: Place, years: int) -> Iterator[InputError]:
    key = f"places.{name}"
    if place.units is not None:
        if place.capacity is not None:
            yield InputError(
                "both capacity and units are given; the units' counts are the capacity",
                key=f"{key}.units",
                fix="remove capacity (or units): with units, the place has the sum of "
                "their counts, and a count may be a plan with one number per year",
            )
        if place.fits is not None:
            yield InputError(
                "both fits and units are given; each size of unit says whom it fits",
                key=f"{key}.fits",
                fix="remove fits and give each entry of units its min_children and "
                "max_children",
            )
        if not place.units:
            yield InputError(
                "units is an empty list, so the place has no units",
                key=f"{key}.units",
                fix="give at least one size, e.g. units = [{ count = 10 }], or remove units",
            )
    if place.has_sizes and place.kind == "institution":
        yield InputError(
            "an institution takes everyone a crisis sends to it, so it cannot have unit "
            "sizes or fits",
            key=f"{key}.{'units' if place.units is not None else 'fits'}",
            fix="remove units and fits from the institution",
        )
    sizes: list[tuple[str, Fits]] = [(f"{key}.fits", place.fits)] if place.fits else []
    sizes += [(f"{key}.units[{position}]", size)
              for position, size in enumerate(place.units or [])]
    for where, size in sizes:
        if size.min_children > size.max_children:
            yield InputError(
                f"min_children ({size.min_children}) is above max_children "
                f"({size.max_children}), so no household fits",
                key=f"{where}.min_children",
                fix="make min_children at most max_children",
            )
    for position, unit in enumerate(place.units or []):
        if isinstance(unit.count, list) and len(unit.count) > years:
            yield InputError(
                f"the plan has {len(unit.count)} years but the scenario observes {years}",
                key=f"{key}.units[{position}].count",
                fix="give at most one number per observed year (the last one holds after "
                "the list ends), or raise simulation.years",
            )


def _fix_for(place: str, children: int) -> str:
    size = ("max_children = 0" if children == 0
            else f"min_children = 1, max_children = {children}")
    return (f"give places.{place} units that fit {children} children, e.g. units = [..., "
            f"{{ count = 2, {size} }}] (or widen its fits), or send the segment elsewhere")


def _fits_nowhere(children: int) -> str:
    return f"households of this segment have {children} children, and no unit of"


def _check_household_fits(scenario: Scenario, segment: Segment) -> Iterator[InputError]:
    """A household must fit every place its routes or its start can put it in."""
    children = segment.household.children
    prefix = f"segments.{segment.name}"
    named = [(f"{prefix}.initial.{name}", name)
             for name, count in segment.initial.items() if count > 0]
    named += [(f"{prefix}.routes.{origin}.{name}", name)
              for origin, table in segment.routes.items()
              for name, probability in table.items() if probability > 0 and name != EXIT]
    for key, name in named:
        place = scenario.places.get(name)
        if place is not None and not place.takes(children):
            yield InputError(f"{_fits_nowhere(children)} {name!r} fits them, so they would "
                             "wait for it for ever", key=key, fix=_fix_for(name, children))


def _check_waiting_fits(scenario: Scenario) -> Iterator[InputError]:
    """The last waiting place takes everyone, so that every household has somewhere to wait."""
    last = scenario.policy.waiting[-1]
    place = scenario.places.get(last)
    if place is None:
        return
    for segment in scenario.segments:
        children = segment.household.children
        if not place.takes(children):
            yield InputError(
                f"{_fits_nowhere(children)} the last waiting place {last!r} fits them, so "
                "they could have nowhere to wait",
                key=f"places.{last}.fits",
                fix="end policy.waiting with a place every household fits (remove its "
                "fits, or let them sleep rough or with friends: a street place)",
            )
            return


def _check_initial_fits(scenario: Scenario) -> Iterator[InputError]:
    """The households present at time 0 find a unit that fits, in the engine's order.

    The engine places them segment by segment, each in the smallest free unit that fits
    (:mod:`bosim.engine.unit_sizes`); this does the same with the counts of year 0.
    """
    for name, place in scenario.places.items():
        if place.units is None:
            continue
        free = [size.count_in_year(0) for size in place.units]
        for segment in scenario.segments:
            children = segment.household.children
            choices = smallest_first(place.units, children)
            for _ in range(segment.initial.get(name, 0)):
                chosen = next((size for size in choices if free[size] > 0), None)
                if chosen is None:
                    yield InputError(
                        f"the households of segment {segment.name!r} that start in "
                        f"{name!r} do not all find a unit that fits {children} children",
                        key=f"segments.{segment.name}.initial.{name}",
                        fix=f"lower segments.{segment.name}.initial.{name}, or raise the "
                        f"count of a size in places.{name}.units that fits them",
                    )
                    break
                free[chosen] -= 1


def smallest_first(sizes: Sequence[Fits], children: int) -> tuple[int, ...]:
    """Positions of the sizes that fit ``children`` children, smallest first.

    Smaller means a lower ``max_children``; sizes alike keep the file's order. A
    household takes the first of these with a free unit.
    """
    fitting = [position for position, size in enumerate(sizes) if size.takes(children)]
    return tuple(sorted(fitting, key=lambda position: sizes[position].max_children))
