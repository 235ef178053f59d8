"""Rules that tie the parts of a scenario together (names, routes, capacities).

Each rule yields an :class:`~bosim.errors.InputError` with the key path and the fix; the
loader adds the file name. Field-level rules (types, signs) are pydantic's, in
:mod:`bosim.scenario.model`.
"""

from __future__ import annotations

import difflib
import json
import math
import unicodedata
from collections.abc import Iterator

from bosim.errors import InputError
from bosim.scenario.model import (
    BREAKDOWN,
    EXIT,
    HOUSED_KINDS,
    RESERVED_NAMES,
    START,
    Scenario,
    Segment,
)
from bosim.scenario.unit_sizes import check_unit_sizes

ROUTE_TOLERANCE = 1e-9
"""How far route probabilities may sum away from 1."""


def suggest(name: str, known: list[str]) -> str:
    """A 'did you mean' hint for a misspelt name, or a list of the known names."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return "known names: " + ", ".join(repr(k) for k in known) if known else "none are defined"


def check_scenario(scenario: Scenario) -> list[InputError]:
    """All cross-reference errors in a scenario (empty when it is consistent)."""
    return [
        *_check_names(scenario),
        *_check_places(scenario),
        *_check_waiting(scenario),
        *_check_segments(scenario),
        *_check_list_lengths(scenario),
        *_check_teams(scenario),
        *_check_crises(scenario),
        *check_unit_sizes(scenario),
        *_check_staff_plans(scenario),
        *_check_hidden_places(scenario),
        *_check_outreach(scenario),
        *_check_prevention(scenario),
    ]


def name_problem(name: str) -> str | None:
    """What is wrong with a name a user gave (a place, segment, team or scenario), if anything.

    Names label tables, figures and messages, so they must have something visible in
    them and stay on one line.
    """
    if not name.strip():
        return "a name cannot be empty or only spaces"
    control = next((c for c in name if unicodedata.category(c) in ("Cc", "Cs")), None)
    if control is not None:
        return (f"a name cannot contain control characters such as {control!r} (line "
                "breaks, tabs): it is shown on one line in tables and figures")
    return None


def _check_names(scenario: Scenario) -> Iterator[InputError]:
    named = [("meta.name", scenario.meta.name, "the scenario", "Small town")]
    named += [(f"places.{json.dumps(name)}", name, "the place", "temporary")
              for name in scenario.places]
    named += [(f"teams.{json.dumps(name)}", name, "the team", "hf_team")
              for name in scenario.teams]
    named += [(f"segments.#{position + 1}.name", segment.name, "the segment", "chronic")
              for position, segment in enumerate(scenario.segments)]
    for key, name, what, example in named:
        problem = name_problem(name)
        if problem is not None:
            yield InputError(
                f"{problem}, got {name!r}", key=key,
                fix=f"give {what} a short name with letters or digits, e.g. \"{example}\"",
            )


def _check_teams(scenario: Scenario) -> Iterator[InputError]:
    served_by: dict[str, str] = {}
    for name, team in scenario.teams.items():
        for position, place in enumerate(team.serves):
            key = f"teams.{name}.serves[{position}]"
            if place not in scenario.places:
                yield _unknown_place(scenario, place, key)
            elif place in served_by:
                yield InputError(
                    f"{place!r} is served by team {served_by[place]!r} already",
                    key=key,
                    fix="let one team serve each place (give it the staff of both)",
                )
            else:
                served_by[place] = name


def _check_crises(scenario: Scenario) -> Iterator[InputError]:
    institutions = [n for n, p in scenario.places.items() if p.kind == "institution"]
    for segment in scenario.segments:
        crisis = segment.crisis
        if crisis is None:
            continue
        key = f"segments.{segment.name}.crisis"
        admits = crisis.handled.admission > 0 or crisis.unhandled.admission > 0
        if crisis.institution is not None:
            place = scenario.places.get(crisis.institution)
            if place is None:
                yield _unknown_place(scenario, crisis.institution, f"{key}.institution")
                continue
            if place.kind != "institution":
                yield InputError(
                    f"{crisis.institution!r} is a {place.kind} place, not an institution",
                    key=f"{key}.institution",
                    fix="name a place of kind \"institution\"",
                )
                continue
            chosen: str | None = crisis.institution
        elif admits and len(institutions) != 1:
            yield InputError(
                "crises can lead to admission, but "
                + ("there is no institution place" if not institutions
                   else f"there are several institution places ({', '.join(institutions)})"),
                key=f"{key}.institution",
                fix="add a place of kind \"institution\" with a stay, and name it in "
                "crisis.institution if there are several",
            )
            continue
        else:
            chosen = institutions[0] if institutions else None
        if admits and chosen is not None and scenario.stay_for(segment, chosen) is None:
            yield InputError(
                f"admissions to {chosen!r} need a length of stay",
                key=f"places.{chosen}.stay",
                fix="add stay = { dist = \"exponential\", mean = <days> } to the institution",
            )


def _check_places(scenario: Scenario) -> Iterator[InputError]:
    for name, place in scenario.places.items():
        if name in RESERVED_NAMES:
            yield InputError(
                f"{name!r} is a reserved word and cannot name a place",
                key=f"places.{name}",
                fix="rename the place, e.g. 'my_" + name + "'",
            )
        if place.kind == "street":
            if not place.is_unlimited:
                yield InputError(
                    "a street place is always unlimited",
                    key=f"places.{name}.capacity",
                    fix="remove capacity, or use kind = \"acute\" for a place with beds",
                )
        elif place.capacity is None and place.units is None:
            yield InputError(
                f"a {place.kind} place needs a capacity",
                key=f"places.{name}.capacity",
                fix="add capacity = <units>, or capacity = \"unlimited\" (or units of "
                "different sizes: units = [{ count = <units>, max_children = <children> }])",
            )


def _check_waiting(scenario: Scenario) -> Iterator[InputError]:
    known = scenario.place_names()
    waiting = scenario.policy.waiting
    for position, name in enumerate(waiting):
        if name not in scenario.places:
            yield InputError(
                f"unknown place {name!r}",
                key=f"policy.waiting[{position}]",
                fix=suggest(name, known),
            )
    if len(set(waiting)) != len(waiting):
        yield InputError(
            "a place is listed twice", key="policy.waiting", fix="list each place once"
        )
    last = waiting[-1]
    if last in scenario.places and not scenario.places[last].is_unlimited:
        yield InputError(
            f"the last waiting place {last!r} has limited capacity, so someone could "
            "have nowhere to wait",
            key="policy.waiting",
            fix="end the list with a place of unlimited capacity, e.g. a street place "
            "(kind = \"street\") or a hostel with capacity = \"unlimited\"",
        )


def _check_segments(scenario: Scenario) -> Iterator[InputError]:
    seen: set[str] = set()
    for segment in scenario.segments:
        prefix = f"segments.{segment.name}"
        if segment.name in seen:
            yield InputError(
                f"two segments are called {segment.name!r}",
                key=prefix,
                fix="give each segment its own name",
            )
        seen.add(segment.name)
        yield from _check_segment_places(scenario, segment, prefix)
        yield from _check_routes(scenario, segment, prefix)
        yield from _check_reachable_stays(scenario, segment, prefix)
    yield from _check_initial_capacity(scenario)


def _unknown_place(scenario: Scenario, name: str, key: str) -> InputError:
    return InputError(
        f"unknown place {name!r}", key=key, fix=suggest(name, scenario.place_names())
    )


def _check_segment_places(
    scenario: Scenario, segment: Segment, prefix: str
) -> Iterator[InputError]:
    for table in ("initial", "breakdown_rate_per_year", "stay"):
        for name in getattr(segment, table):
            if name not in scenario.places:
                yield _unknown_place(scenario, name, f"{prefix}.{table}.{name}")
    for name, rate in segment.breakdown_rate_per_year.items():
        place = scenario.places.get(name)
        if place is not None and place.kind not in HOUSED_KINDS and rate > 0:
            yield InputError(
                f"{name!r} is a {place.kind} place; breakdowns happen only in housed places "
                "(shared, housing_first, ordinary)",
                key=f"{prefix}.breakdown_rate_per_year.{name}",
                fix="remove this rate, or model leaving that place with its stay and routes",
            )


def _check_routes(scenario: Scenario, segment: Segment, prefix: str) -> Iterator[InputError]:
    destinations = [*scenario.place_names(), EXIT]
    for origin, table in segment.routes.items():
        key = f"{prefix}.routes.{origin}"
        if origin not in (START, BREAKDOWN) and origin not in scenario.places:
            yield InputError(
                f"unknown route table {origin!r}",
                key=key,
                fix="a route table is 'start', 'breakdown' or a place name; "
                + suggest(origin, [START, BREAKDOWN, *scenario.place_names()]),
            )
        for destination in table:
            if destination not in scenario.places and destination != EXIT:
                yield InputError(
                    f"unknown destination {destination!r}",
                    key=f"{key}.{destination}",
                    fix=suggest(destination, destinations),
                )
        total = math.fsum(table.values())
        if abs(total - 1.0) > ROUTE_TOLERANCE:
            yield InputError(
                f"route probabilities sum to {total:.12g}, not 1",
                key=key,
                fix="make the probabilities add up to exactly 1 (use 'exit' for people "
                "who leave the target group)",
            )
    if segment.routes.get(START, {}).get(EXIT, 0.0) > 0:
        yield InputError(
            "arriving people cannot leave at once: they never needed a place",
            key=f"{prefix}.routes.start.{EXIT}",
            fix="remove exit from routes.start and lower arrivals_per_year instead",
        )
    needs_start = _arrives(segment) or any(
        scenario.stay_for(segment, name) is None and name in scenario.policy.waiting
        for name, count in segment.initial.items()
        if count > 0 and name in scenario.places
    )
    if needs_start and START not in segment.routes:
        yield InputError(
            "the segment has arrivals (or people waiting at time 0) but no start route",
            key=f"{prefix}.routes.start",
            fix="add routes.start = { <place> = 1.0 }, the place arriving people are headed for",
        )
    if any(rate > 0 for rate in segment.breakdown_rate_per_year.values()) and (
        BREAKDOWN not in segment.routes
    ):
        yield InputError(
            "the segment has breakdowns but no route for after a breakdown",
            key=f"{prefix}.routes.breakdown",
            fix="add routes.breakdown = { <place> = 1.0 }, where people go after losing housing",
        )


def _arrives(segment: Segment) -> bool:
    rates = segment.arrivals_per_year
    return any(r > 0 for r in rates) if isinstance(rates, list) else rates > 0


def _check_reachable_stays(
    scenario: Scenario, segment: Segment, prefix: str
) -> Iterator[InputError]:
    """A place whose stays end needs a route table, or people would have nowhere to go."""
    reachable: list[str] = [name for name, count in segment.initial.items() if count > 0]
    for table in segment.routes.values():
        reachable.extend(name for name, p in table.items() if p > 0)
    reported: set[str] = set()
    for name in reachable:
        if name == EXIT or name not in scenario.places or name in reported:
            continue
        if scenario.stay_for(segment, name) is not None and name not in segment.routes:
            reported.add(name)
            yield InputError(
                f"people of this segment can stay in {name!r}, whose stays end, but there "
                f"is no route out of it",
                key=f"{prefix}.routes.{name}",
                fix=f"add routes.{name} = {{ <place or exit> = 1.0 }}",
            )


def _check_initial_capacity(scenario: Scenario) -> Iterator[InputError]:
    for name, place in scenario.places.items():
        total = sum(segment.initial.get(name, 0) for segment in scenario.segments)
        capacity = place.capacity_in_year(0)
        if place.capacity is not None and total > capacity:
            yield InputError(
                f"{total} people start in {name!r}, which has {int(capacity)} units",
                key=f"places.{name}.capacity",
                fix=f"raise the capacity to at least {total}, or lower segments.*.initial.{name}",
            )


def _check_list_lengths(scenario: Scenario) -> Iterator[InputError]:
    years = scenario.simulation.years
    for name, place in scenario.places.items():
        if isinstance(place.capacity, list) and len(place.capacity) > years:
            yield InputError(
                f"the capacity plan has {len(place.capacity)} years but the scenario "
                f"observes {years}",
                key=f"places.{name}.capacity",
                fix="give at most one number per observed year (the last one holds after the "
                "list ends), or raise simulation.years",
            )
    for segment in scenario.segments:
        rates = segment.arrivals_per_year
        if isinstance(rates, list) and len(rates) > years:
            yield InputError(
                f"the arrival plan has {len(rates)} years but the scenario observes {years}",
                key=f"segments.{segment.name}.arrivals_per_year",
                fix="give at most one rate per observed year (the last one holds after the "
                "list ends), or raise simulation.years",
            )


def _check_staff_plans(scenario: Scenario) -> Iterator[InputError]:
    years = scenario.simulation.years
    for name, team in scenario.teams.items():
        plans: list[tuple[str, object, str]] = [("fte", team.fte, "one FTE number")]
        if team.is_hours_plan:
            plans.append(("hours", team.hours, "one list of times"))
        for key, plan, what in plans:
            if isinstance(plan, list) and len(plan) > years:
                yield InputError(
                    f"the {key} plan has {len(plan)} years but the scenario observes {years}",
                    key=f"teams.{name}.{key}",
                    fix=f"give at most {what} per observed year (the last one holds after "
                    "the list ends), or raise simulation.years",
                )


def _check_hidden_places(scenario: Scenario) -> Iterator[InputError]:
    for name, place in scenario.places.items():
        if not place.hidden:
            continue
        if place.kind != "street":
            yield InputError(
                f"{name!r} is a {place.kind} place; only street places can be hidden "
                "(sofa surfing, rough sleeping unknown to the services)",
                key=f"places.{name}.hidden",
                fix="remove hidden, or make a place of kind = \"street\" for the hidden "
                "homeless",
            )
        if name in scenario.policy.waiting:
            yield InputError(
                f"{name!r} is hidden, but people waiting for a place are known to the "
                "services",
                key="policy.waiting",
                fix=f"take {name!r} out of policy.waiting and wait in another street place "
                "(one without hidden = true)",
            )


def _check_outreach(scenario: Scenario) -> Iterator[InputError]:
    searched_by: dict[str, str] = {}
    for name, team in scenario.teams.items():
        if team.outreach is None:
            continue
        for position, place_name in enumerate(team.outreach.places):
            key = f"teams.{name}.outreach.places[{position}]"
            place = scenario.places.get(place_name)
            if place is None:
                yield _unknown_place(scenario, place_name, key)
            elif not place.hidden:
                yield InputError(
                    f"{place_name!r} is not hidden: its people are known to the services "
                    "already, so there is nobody to find",
                    key=key,
                    fix=f"add hidden = true to places.{place_name} (a street place), or "
                    "name a hidden place",
                )
            elif place_name in searched_by:
                yield InputError(
                    f"{place_name!r} is searched by team {searched_by[place_name]!r} already",
                    key=key,
                    fix="let one team do the outreach in each hidden place (give it the "
                    "staff of both)",
                )
            else:
                searched_by[place_name] = name
    for segment in scenario.segments:
        for place_name in searched_by:
            reaches = segment.initial.get(place_name, 0) > 0 or any(
                table.get(place_name, 0.0) > 0 for table in segment.routes.values())
            if reaches and place_name not in segment.routes:
                yield InputError(
                    f"people of this segment can be found in {place_name!r}, but there is "
                    "no route for where they go then",
                    key=f"segments.{segment.name}.routes.{place_name}",
                    fix=f"add routes.{place_name} = {{ <place> = 1.0 }}, e.g. the hostel "
                    "or the queue for housing",
                )


def _check_prevention(scenario: Scenario) -> Iterator[InputError]:
    segments = [segment.name for segment in scenario.segments]
    for name, team in scenario.teams.items():
        if not team.prevention_hazard_ratio:
            continue
        key = f"teams.{name}.prevention_hazard_ratio"
        for segment in team.prevention_hazard_ratio:
            if segment not in segments:
                yield InputError(f"unknown segment {segment!r}", key=f"{key}.{segment}",
                                 fix=suggest(segment, segments))
        if not any(scenario.places[place].kind in HOUSED_KINDS
                   for place in team.serves if place in scenario.places):
            yield InputError(
                "prevention lowers breakdowns in housing, but the team serves no housed "
                "place",
                key=key,
                fix="let the team serve the ordinary, shared or Housing First place whose "
                "residents it follows up (teams.<name>.serves)",
            )
        fte = team.fte if isinstance(team.fte, list) else [team.fte]
        if any(value <= 0 for value in fte):
            yield InputError(
                "a team with no staff in a year cannot follow anyone up, so its prevention "
                "would not happen",
                key=f"teams.{name}.fte",
                fix="give the team FTE above 0 in every year, or compare a scenario without "
                "prevention_hazard_ratio for the years without staff",
            )
