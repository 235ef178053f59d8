"""The scenario: a frozen, typed description of one municipality's housing system.

A scenario is validated once, when it is loaded (:mod:`bosim.scenario.loading`); code
downstream trusts it. Times are in days, rates per year, money in ``meta.currency``
at ``meta.price_year`` prices.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from bosim.scenario.distributions import Distribution, NonNegativeFloat, OutOfRangeError
from bosim.scenario.hours import HoursError, parse_hours
from bosim.scenario.uncertainty import UncertainParameter

PlaceKind = Literal[
    "street", "acute", "temporary", "shared", "housing_first", "ordinary", "institution"
]
HOMELESS_KINDS: frozenset[str] = frozenset({"street", "acute", "temporary"})
HOUSED_KINDS: frozenset[str] = frozenset({"shared", "housing_first", "ordinary"})

Payer = Literal["municipality", "state", "other"]
Perspective = Literal["municipality", "public", "society"]

EXIT = "exit"
"""Reserved route destination: the person leaves the target group."""
START = "start"
"""Route table used when a person arrives."""
BREAKDOWN = "breakdown"
"""Route table used after a person loses their housing."""
RESERVED_NAMES = frozenset({EXIT, START, BREAKDOWN})

UNLIMITED = "unlimited"
MOST_UNITS = 1_000_000_000
"""Largest capacity or number of people at time 0: more is ``"unlimited"`` in practice."""
MOST_ARRIVALS_PER_YEAR = 10_000_000
"""Largest arrival rate: about twice Norway's population every year."""
MOST_EVENTS_PER_YEAR = 8760
"""Largest breakdown, exit or crisis rate per person-year: once an hour on average. More
is no housing process, and would make a run spend its time on one person."""
MOST_MONEY = 10**15
"""Largest price: far above any real one in any currency, and small enough that totals
over every unit, day and replication stay finite."""
MOST_FTE = 100_000
"""Largest team, in FTE."""
HOURS_PER_YEAR = 8760
"""Hours in a 365-day year: the most a full-time year can have."""
Money = Annotated[float, Field(ge=0, le=MOST_MONEY, allow_inf_nan=False)]
"""A price (``meta.currency`` at ``meta.price_year`` prices)."""
RatePerYear = Annotated[float, Field(ge=0, le=MOST_EVENTS_PER_YEAR, allow_inf_nan=False)]
"""A rate of events per person-year."""
Capacity = int | Literal["unlimited"] | list[int]
"""Units: a whole number, ``"unlimited"``, or one whole number per observed year."""
_T = TypeVar("_T")
LANGUAGES = ("en", "nb")
"""The languages a label may name: English and Norwegian bokmål."""


def in_observed_year(plan: list[_T], observed_year: int) -> _T:
    """The value of a plan (one value per observed year) in ``observed_year``.

    The warm-up (negative years) uses the first value, and the last holds after the list
    ends: the rule of every per-year plan in a scenario (capacity, unit counts, FTE, service
    hours, arrivals).
    """
    return plan[min(max(observed_year, 0), len(plan) - 1)]


def _label_shape(value: object) -> object:
    """Give one clear message instead of one per alternative of the union."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value and all(
            key in LANGUAGES and isinstance(text, str) for key, text in value.items()):
        return value
    raise ValueError("a label is text, or a table with a text per language (en, nb), "
                     f"got {value!r}")


Label = Annotated[str | dict[Literal["en", "nb"], str], BeforeValidator(_label_shape)]
"""A name as a reader sees it: one text for every language, or one per language, e.g.
``{ en = "Hostel", nb = "Hospits" }`` (a language left out reads the English one)."""


def label_text(label: Label, lang: str = "en") -> str:
    """The text of a label in ``lang`` (``en`` or ``nb``); empty when there is none."""
    if isinstance(label, str):
        return label
    texts: dict[str, str] = {str(key): text for key, text in label.items()}
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


class _Frozen(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", strict=True, use_attribute_docstrings=True
    )


class Meta(_Frozen):
    """What the scenario is and which money it counts in."""

    name: str = "scenario"
    """A short name for the scenario, shown in reports and used for the results folder."""
    description: Label = ""
    """Free text on what the scenario describes, shown at the top of the report; one text,
    or one per language like a label (``[meta.description]`` with ``en`` and ``nb``)."""
    label: Label = ""
    """The plan's name as a reader sees it in reports, figures and tables, e.g.
    ``"Housing First with an ACT team"`` or ``{ en = "Housing First", nb = "Housing First
    med ACT-team" }``; by default ``name`` (or, in a comparison, the
    file's name when ``name`` is left at its default)."""
    currency: str = "NOK"
    """The currency every price in the file is in, e.g. ``"NOK"``."""
    price_year: int = 2025
    """The year whose price level every price is in (fixed prices)."""


class Simulation(_Frozen):
    """Horizon and replications."""

    years: Annotated[int, Field(ge=1, le=200)] = 10
    """Observed years, counted after the warm-up. Unit: years."""
    warmup_years: Annotated[int, Field(ge=0, le=200)] = 2
    """Years simulated before the observed window and not counted, so that the model starts
    from a settled state. Unit: years."""
    replications: Annotated[int, Field(ge=1, le=100_000)] = 30
    """Independent runs of the whole horizon; results are means over them with 95 %
    intervals. Unit: runs."""
    seed: Annotated[int, Field(ge=0)] = 2025
    """Seed of the random numbers: the same seed gives exactly the same results."""


class Economics(_Frozen):
    """How money is counted (applied after simulation)."""

    discount_rate: Annotated[float, Field(ge=0, le=1)] | None = None
    """Real discount rate, e.g. 0.04 for 4 %; left out, the R-109 step-down (4 %, 3 % from
    year 40, 2 % from year 75). Unit: share per year."""
    tax_financing_cost: Annotated[float, Field(ge=0, le=1)] = 0.20
    """Extra cost of raising public money, as a share of the public (municipality and state)
    cost; counted in the ``society`` perspective only (R-109: 0.20). Unit: share."""
    perspective: Perspective = "municipality"
    """Whose costs count: ``municipality`` its own lines; ``public`` also the state's;
    ``society`` every payer's, plus the tax financing cost."""


class Policy(_Frozen):
    """Where people without a place wait, and who goes first in queues."""

    waiting: Annotated[list[str], Field(min_length=1)]
    """Places to wait in, best first; the last must have unlimited capacity."""
    priority: Literal["fifo", "segment"] = "fifo"
    """Order of every queue: ``fifo`` first come first served; ``segment`` by the segments'
    ``priority`` (lower first), first come first served within a segment."""


MOST_CHILDREN = 20
"""Most children a household can have (``segments.household.children``)."""


def _count_shape(value: object) -> object:
    """Give one clear message for a count of units: a whole number or one per year."""
    counts = value if isinstance(value, list) and value else [value]
    for year, units in enumerate(counts):
        where = f" for observed year {year}" if isinstance(value, list) else ""
        if (isinstance(units, bool) or not isinstance(units, int)
                or not 0 <= units <= MOST_UNITS):
            raise ValueError(f"count{where} must be a whole number of units from 0 to "
                             f"{MOST_UNITS:,}, got {units!r}")
    return value


class Fits(_Frozen):
    """Which households a place, or a size of unit, takes: by their number of children."""

    min_children: Annotated[int, Field(ge=0, le=MOST_CHILDREN)] = 0
    """Fewest children a household must have to take it: 1 keeps family units for
    families, so that single adults never hold them. Unit: children."""
    max_children: Annotated[int, Field(ge=0, le=MOST_CHILDREN)] = MOST_CHILDREN
    """Most children a household may have to take it: 0 for units for adults only (and for
    places children should not stay in, such as a hostel). Unit: children."""

    def takes(self, children: int) -> bool:
        """Whether a household with ``children`` children fits."""
        return self.min_children <= children <= self.max_children


class UnitSize(Fits):
    """A number of units of one size in a place, and which households fit them."""

    count: Annotated[int | list[int], BeforeValidator(_count_shape)]
    """Units of this size: a whole number, or a building plan with one number per observed
    year (the warm-up uses the first, the last holds after the list ends). Unit: units."""

    def count_in_year(self, observed_year: int) -> int:
        """Units of this size in an observed year (negative years are warm-up)."""
        count = self.count
        if isinstance(count, int):
            return count
        return in_observed_year(count, observed_year)


LAST_DAY_OF_YEAR = 364
"""The last day of a 365-day year, counted from 0."""


class StayPrice(_Frozen):
    """One step of a place's ``price_by_stay``: a price per day from a day of the stays on.

    Also who pays it, e.g. a state refund that stops after a number of days.
    """

    from_day: Annotated[int, Field(ge=0, le=LAST_DAY_OF_YEAR)]
    """The step applies from this day on, counting the days the person has spent in the
    place in the calendar year (0: from the first day; the count starts again each year).
    Unit: days."""
    cost_per_occupied_day: Money = 0.0
    """Price of every occupied day in this step. Unit: money per occupied day."""
    payer: Payer | None = None
    """Who pays this step; left out, the place's ``payer``."""
    shares: dict[Payer, Annotated[float, Field(ge=0, le=1)]] | None = None
    """Instead of ``payer``: who pays which share, e.g. ``{ state = 0.5, municipality =
    0.5 }``; the shares sum to 1. Unit: share."""

    @model_validator(mode="after")
    def _one_payer_rule(self) -> StayPrice:
        if self.payer is not None and self.shares is not None:
            raise ValueError("give payer or shares, not both")
        if self.shares is not None and abs(sum(self.shares.values()) - 1.0) > 1e-9:
            raise ValueError(f"shares sum to {sum(self.shares.values()):.12g}, not 1")
        return self

    def payer_shares(self, place_payer: Payer) -> dict[str, float]:
        """Payer to share of this step's price (the place's payer when none is given)."""
        if self.shares is not None:
            return {str(payer): share for payer, share in self.shares.items()}
        return {self.payer or place_payer: 1.0}


class Place(_Frozen):
    """A kind of housing or shelter with its capacity, stays and prices."""

    kind: PlaceKind
    """What the place is, which decides how time there counts: ``street``, ``acute`` and
    ``temporary`` count as homeless; ``shared``, ``housing_first`` and ``ordinary`` as
    housed; ``institution`` as neither."""
    description: str = ""
    """Free text on what the place is, for readers of the file (kept in the manifest)."""
    label: Label = ""
    """The place's name as a reader sees it in reports, figures and tables, e.g.
    ``"Hospits"``, or one per language: ``{ en = "Hostel", nb = "Hospits" }``; by default
    its key."""
    capacity: Capacity | None = None
    """Units (beds, flats): a whole number, ``"unlimited"``, or a building plan with one
    number per observed year (the warm-up uses the first, the last holds after the list
    ends). Required except for street places, which are unlimited. Unit: units."""
    units: list[UnitSize] | None = None
    """Units of different sizes, instead of ``capacity``, e.g. ``units = [{ count = 20,
    max_children = 0 }, { count = 2, min_children = 1, max_children = 4 }]``. A household
    (``segments.household``) takes one unit, the smallest free one that fits its children;
    a household that no free unit fits waits, without holding up those behind it whom a
    free unit fits. Left out, every unit fits everyone. Unit: units."""
    fits: Fits | None = None
    """Which households the whole place takes, e.g. ``fits = { max_children = 0 }`` for a
    hostel where children should not stay (a family waits in the next waiting place that
    fits it); left out, everyone."""
    stay: Distribution | None = None
    """Length of stay; left out, people stay until something else moves them (a
    breakdown, leaving the target group, the end of the horizon). Unit: days."""
    when_ready: Literal["wait", "leave"] = "wait"
    """``wait``: a person whose stay has ended keeps the unit until the next place admits
    them (blocking, opphopning); ``leave``: they give up the unit and wait in a waiting
    place."""
    cost_per_unit_day: Money = 0.0
    """Price of every open unit, used or not (for an unlimited place: every occupied unit).
    Unit: money per unit-day."""
    cost_per_occupied_day: Money = 0.0
    """Price of every day a unit is occupied, including units kept for residents away in
    an institution. Unit: money per occupied day."""
    cost_per_admission: Money = 0.0
    """Price of every admission to the place. Unit: money per admission."""
    cost_per_breakdown: Money = 0.0
    """Price of every breakdown (eviction, lost tenancy) in the place. Unit: money per
    breakdown."""
    payer: Payer = "municipality"
    """Who pays the place's costs: ``municipality``, ``state`` or ``other`` (e.g. the
    tenant)."""
    hidden: bool = False
    """Only for ``street`` places: hidden homelessness (sofa surfing, skjult
    bostedsløshet). People here are not known to the services: they leave when their
    stay ends (they come forward) or when an outreach team finds them, whichever is
    first, and only then follow the place's routes. Time here until then counts as
    hidden homeless days; a hidden place cannot be a waiting place."""
    price_by_stay: dict[str, StayPrice] = Field(default_factory=dict)
    """Occupied days priced by how long the person has stayed in the place this calendar
    year, in named steps, e.g. ``refunded = { from_day = 0, cost_per_occupied_day = 1200,
    payer = "state" }`` and ``after_limit = { from_day = 90, cost_per_occupied_day = 1200,
    payer = "municipality" }``: the state pays days 0-89 of each person's year, the
    municipality the rest. One step starts at day 0; it replaces ``cost_per_occupied_day``.
    Left out, every day costs the same."""

    @field_validator("price_by_stay")
    @classmethod
    def _steps_in_order(cls, value: dict[str, StayPrice]) -> dict[str, StayPrice]:
        if not value:
            return value
        days = sorted(step.from_day for step in value.values())
        if days[0] != 0:
            raise ValueError(f"no step starts at from_day = 0 (the first starts at day "
                             f"{days[0]}), so the first days of a stay would have no price")
        twice = sorted({day for day in days if days.count(day) > 1})
        if twice:
            raise ValueError(f"two steps start at from_day = {twice[0]}; each step needs "
                             f"its own day")
        return value

    @model_validator(mode="after")
    def _one_occupied_price(self) -> Place:
        if self.price_by_stay and self.cost_per_occupied_day:
            raise ValueError("has both cost_per_occupied_day and price_by_stay; "
                             "price_by_stay replaces cost_per_occupied_day")
        if self.price_by_stay and self.kind == "institution":
            raise ValueError("price_by_stay is for places people stay in, not institutions "
                             "(a stay there with a unit kept at home is not recorded as a "
                             "stay); price the institution with cost_per_occupied_day")
        return self

    def stay_steps(self) -> list[tuple[int, float, dict[str, float]]]:
        """``price_by_stay`` in day order: (from_day, price per day, payer to share)."""
        steps = sorted(self.price_by_stay.values(), key=lambda step: step.from_day)
        return [(step.from_day, step.cost_per_occupied_day, step.payer_shares(self.payer))
                for step in steps]

    @field_validator("capacity", mode="before")
    @classmethod
    def _capacity_shape(cls, value: object) -> object:
        """Give one clear message instead of one per alternative of the union."""
        if value is None or value == UNLIMITED:
            return value
        if isinstance(value, bool):
            raise ValueError("capacity must be a whole number of units, not true/false")
        if isinstance(value, int):
            if value < 0:
                raise ValueError(f"capacity must be 0 or more units, got {value}")
            if value > MOST_UNITS:
                raise ValueError(
                    f"capacity must be at most {MOST_UNITS:,} units, got {value}; write "
                    '"unlimited" for a place that never runs out'
                )
            return value
        if isinstance(value, list) and value:
            for year, units in enumerate(value):
                if (isinstance(units, bool) or not isinstance(units, int)
                        or not 0 <= units <= MOST_UNITS):
                    raise ValueError(
                        f"capacity for observed year {year} must be a whole number from 0 "
                        f"to {MOST_UNITS:,}, got {units!r}"
                    )
            return value
        raise ValueError(
            f"capacity must be a whole number, \"unlimited\" or a list of whole numbers, "
            f"got {value!r}"
        )

    @property
    def is_unlimited(self) -> bool:
        """Whether the place never runs out of units."""
        return self.units is None and (self.capacity is None or self.capacity == UNLIMITED)

    def capacity_in_year(self, observed_year: int) -> float:
        """Units in an observed year (negative years are warm-up), all sizes together.

        ``inf`` when unlimited.
        """
        if self.units is not None:
            return float(sum(size.count_in_year(observed_year) for size in self.units))
        capacity = self.capacity
        if capacity is None or capacity == UNLIMITED:
            return float("inf")
        if isinstance(capacity, int):
            return float(capacity)
        assert isinstance(capacity, list)
        return float(in_observed_year(capacity, observed_year))

    def capacity_plan(self) -> Capacity | None:
        """The capacity as ``capacity`` is written.

        For ``units``, their counts summed (by observed year where a count is a plan).
        """
        if self.units is None:
            return self.capacity
        counts = [size.count for size in self.units]
        years = max((len(count) for count in counts if isinstance(count, list)), default=0)
        if not years:
            return int(self.capacity_in_year(0))
        return [int(self.capacity_in_year(year)) for year in range(years)]

    @property
    def has_sizes(self) -> bool:
        """Whether the place says which households fit it (``units`` or ``fits``)."""
        return self.units is not None or self.fits is not None

    def takes(self, children: int) -> bool:
        """Whether some unit of the place fits a household with ``children`` children."""
        if self.units is not None:
            return any(size.takes(children) for size in self.units)
        return self.fits is None or self.fits.takes(children)


FtePlan = (Annotated[float, Field(ge=0, le=MOST_FTE, allow_inf_nan=False)]
           | Annotated[list[Annotated[float, Field(ge=0, le=MOST_FTE, allow_inf_nan=False)]],
                       Field(min_length=1)])
"""Full-time equivalents: one number, or one number per observed year."""
MOST_HAZARD_RATIO = 10.0
"""Largest prevention hazard ratio: above it the follow-up would be no prevention."""
HazardRatio = Annotated[float, Field(ge=0, le=MOST_HAZARD_RATIO, allow_inf_nan=False)]
"""A factor on a rate: below 1 lowers it, 1 leaves it."""
MOST_STAFF_HOURS_TO_FIND = 1_000_000.0
"""Largest ``staff_hours_to_find``: more than a hundred staff-years for one person."""


def _plan_shape(value: object, unit: str, most: float, example: str) -> object:
    """Check a number or a plan with one number per observed year, with one clear message."""
    if value == []:
        raise OutOfRangeError("a plan needs at least one year", fix=example)
    numbers = value if isinstance(value, list) else [value]
    for year, number in enumerate(numbers):
        where = f" in observed year {year}" if isinstance(value, list) else ""
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise OutOfRangeError(f"must be a number of {unit}{where}, got {number!r}",
                                  fix=example)
        if not math.isfinite(number) or not 0 <= number <= most:
            raise OutOfRangeError(f"must be from 0 to {most:,g} {unit}{where}, got {number!r}",
                                  fix=example)
    return value


class Outreach(_Frozen):
    """Outreach work (oppsøkende arbeid): staff on duty look for people in hidden places.

    A person in a hidden place is found at a rate of (staff on duty now) /
    ``staff_hours_to_find`` per hour; staff are on duty in the team's service hours, as
    many as its FTE that year gives (follow-up and crises are not taken out: give
    outreach its own team).
    """

    places: Annotated[list[str], Field(min_length=1)]
    """The hidden places the team searches (places with ``hidden = true``, e.g. sofa
    surfing)."""
    staff_hours_to_find: Annotated[
        float, Field(gt=0, le=MOST_STAFF_HOURS_TO_FIND, allow_inf_nan=False)]
    """Staff-hours on duty it takes, on average, to find one hidden person: with 2 staff
    on duty around the clock and 480 hours here, a person is found after 240 hours (10
    days) on average. Unit: staff-hours per person found."""


CRISIS_OUTCOMES = ("none", "emergency", "admission", "breakdown")
PROFILE_NAMES = ("flat", "day", "evening_night")


class Team(_Frozen):
    """Staff who follow up residents and handle crises in the places they serve."""

    serves: Annotated[list[str], Field(min_length=1)]
    """The places whose residents the team follows up; a place has at most one team."""
    description: str = ""
    """Free text on what the team is, for readers of the file (kept in the manifest)."""
    label: Label = ""
    """The team's name as a reader sees it in reports, figures and tables, one text or one
    per language (``{ en = "Day team", nb = "Dagteam" }``); by default its key."""
    fte: FtePlan
    """Full-time equivalents (årsverk) in the team: one number, or a staffing plan with one
    number per observed year (the warm-up uses the first, the last holds after the list
    ends), e.g. ``fte = [0, 4, 4]``. Crisis handling, follow-up, outreach and the team's
    cost follow the plan year by year. Unit: FTE."""
    cost_per_fte_year: Money = 0.0
    """Labour cost of one full-time equivalent for a year, paid for every observed year
    whatever the staff were busy with. Unit: money per FTE-year."""
    payer: Payer = "municipality"
    """Who pays the team: ``municipality``, ``state`` or ``other``."""
    hours: str | list[str] | list[list[str]] = "24/7"
    """When staff are on duty, e.g. ``"mon-fri 08:00-16:00"`` (day 0 is a Monday), or a
    list of such times that together make the week (``["mon-fri 08:00-16:00",
    "sat-sun 10:00-14:00"]``); see service hours. A plan per observed year is a list of
    lists, one list of times per year (the warm-up uses the first, the last holds after
    the list ends): ``[["mon-fri 08:00-16:00"], ["24/7"]]``."""
    hours_per_fte_year: Annotated[
        float, Field(gt=0, le=HOURS_PER_YEAR, allow_inf_nan=False)
    ] = 1695.0
    """Working hours in a full-time year. Unit: hours per FTE-year."""
    followup_hours_per_resident_week: NonNegativeFloat = 0.0
    """Routine follow-up per current resident, taken out of the on-duty time. Unit: hours
    per resident per week."""
    response_limit_hours: NonNegativeFloat = 0.0
    """A crisis is handled if a staff member is free within this many hours. Unit: hours."""
    handling_hours: Distribution
    """Staff time one crisis takes (a distribution whose values are hours, not days).
    Unit: hours."""
    prevention_hazard_ratio: dict[str, HazardRatio] = Field(default_factory=dict)
    """Eviction prevention (bostedsoppfølging): by segment name, the factor the team's
    follow-up puts on the breakdown rate of that segment's residents in the housed places
    the team serves, e.g. ``{ chronic = 0.6 }``: 40 % fewer evictions and lost tenancies
    while followed up. Every resident of those places is followed up. Breakdowns after
    crises are not changed (they follow the crisis outcomes). Unit: hazard ratio."""
    outreach: Outreach | None = None
    """Outreach work (oppsøkende arbeid): the team's staff on duty look for people in
    hidden places; left out, none."""

    @field_validator("fte", mode="before")
    @classmethod
    def _fte_shape(cls, value: object) -> object:
        """Give one clear message instead of one per alternative of the union."""
        return _plan_shape(value, "FTE", MOST_FTE,
                           "write e.g. fte = 4.5, or one number per year: fte = [0, 4, 4]")

    @field_validator("hours", mode="before")
    @classmethod
    def _readable_hours(cls, value: object) -> object:
        if isinstance(value, list) and any(isinstance(item, list) for item in value):
            if not all(isinstance(item, list) for item in value):
                raise OutOfRangeError(
                    "a list of hours either lists the times of one week (text), or is a "
                    "plan with one list of times per year (lists), not both",
                    fix='write one week as ["mon-fri 08:00-16:00", "sat 10:00-14:00"], or a '
                    'plan per year as [["mon-fri 08:00-16:00"], ["24/7"]]',
                )
            years: list[Any] = value
        else:
            years = [value]
        for year, hours in enumerate(years):
            where = f"observed year {year}: " if len(years) > 1 else ""
            try:
                parse_hours(hours)
            except HoursError as error:
                raise ValueError(f"{where}{error}") from None
        return value

    def fte_in_year(self, observed_year: int) -> float:
        """FTE in an observed year (negative years are warm-up)."""
        fte = self.fte
        if isinstance(fte, list):
            return in_observed_year(fte, observed_year)
        return fte

    def hours_in_year(self, observed_year: int) -> str | list[str]:
        """Service hours in an observed year (negative years are warm-up)."""
        hours = self.hours
        if isinstance(hours, list) and hours and isinstance(hours[0], list):
            plan: list[list[str]] = hours
            return in_observed_year(plan, observed_year)
        return hours  # type: ignore[return-value]

    @property
    def is_hours_plan(self) -> bool:
        """Whether ``hours`` is a plan with one list of times per year."""
        return isinstance(self.hours, list) and bool(self.hours) and isinstance(
            self.hours[0], list)


class CrisisOutcomes(_Frozen):
    """What follows a crisis, as probabilities that sum to 1."""

    none: NonNegativeFloat = 0.0
    """Probability that nothing more follows. Unit: probability."""
    emergency: NonNegativeFloat = 0.0
    """Probability of a one-off emergency (police, ambulance, emergency room). Unit:
    probability."""
    admission: NonNegativeFloat = 0.0
    """Probability of a stay in an institution; the person keeps their unit. Unit:
    probability."""
    breakdown: NonNegativeFloat = 0.0
    """Probability of losing the housing, as a breakdown (only in housed places). Unit:
    probability."""

    @model_validator(mode="after")
    def _sums_to_one(self) -> CrisisOutcomes:
        total = self.none + self.emergency + self.admission + self.breakdown
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"outcome probabilities sum to {total:.12g}, not 1")
        return self

    def probabilities(self) -> tuple[float, float, float, float]:
        """(none, emergency, admission, breakdown)."""
        return (self.none, self.emergency, self.admission, self.breakdown)


class Crisis(_Frozen):
    """How often people of a segment have crises, when in the day, and what follows."""

    rate_per_year: RatePerYear = 0.0
    """Crises per person-year, wherever the person is except in an institution. Unit:
    crises per person-year."""
    profile: Literal["flat", "day", "evening_night"] | list[NonNegativeFloat] = "flat"
    """When in the day crises happen: 24 hourly weights (the first is 00:00-01:00) or a
    name: ``flat``; ``day``, 08-16 weighs three times the other hours; ``evening_night``,
    16-08 weighs twice 08-16. Unit: relative weight."""
    handled: CrisisOutcomes = Field(default_factory=lambda: CrisisOutcomes(none=1.0))
    """What follows a crisis that a staff member handled in time."""
    unhandled: CrisisOutcomes = Field(default_factory=lambda: CrisisOutcomes(none=1.0))
    """What follows a crisis nobody from the services handled (team closed, all busy, or no
    team serves the place)."""
    institution: str | None = None
    """The institution place admissions go to; needed when there are several."""

    @field_validator("profile", mode="before")
    @classmethod
    def _day_of_hours(cls, value: object) -> object:
        """Give one clear message instead of one per alternative of the union."""
        if isinstance(value, str):
            if value not in PROFILE_NAMES:
                raise ValueError(
                    f"unknown profile {value!r}; the named ones are "
                    + ", ".join(repr(name) for name in PROFILE_NAMES)
                )
            return value
        if isinstance(value, list):
            if not all(isinstance(w, int | float) and not isinstance(w, bool) and w >= 0
                       and math.isfinite(w) for w in value):
                raise ValueError("profile weights must be finite numbers >= 0")
            if len(value) != 24:
                raise ValueError(f"a profile has 24 hourly weights, got {len(value)}")
            if sum(value) <= 0:
                raise ValueError("a profile needs at least one hour with weight above 0")
            if not math.isfinite(sum(float(w) for w in value)):
                raise ValueError(
                    "the profile weights add up to more than a number can hold, so every "
                    "hour would get weight 0; only their ratios matter, so scale them down"
                )
        return value


class EventPrice(_Frozen):
    """The price of one event, and who pays it."""

    cost: Money
    """Price of one event. Unit: money per event."""
    payer: Payer = "municipality"
    """Who pays it: ``municipality``, ``state`` or ``other``."""


class EventPrices(_Frozen):
    """Prices of events that happen outside any place's own prices (``[costs.events]``)."""

    emergency: EventPrice | None = None
    """Police, ambulance or emergency room after a crisis (also a refused admission)."""
    crisis_handled: EventPrice | None = None
    """Per crisis handled by staff, beyond their paid time (e.g. call-out allowances)."""
    crisis_unhandled: EventPrice | None = None
    """Per crisis nobody from the services handled (e.g. police time)."""


class Costs(_Frozen):
    """Prices that belong to no place or team."""

    events: EventPrices = Field(default_factory=EventPrices)
    """Prices of events after crises (``[costs.events]``)."""


RatePlan = Annotated[list[NonNegativeFloat], Field(min_length=1)]
"""One rate per observed year."""

RouteTable = dict[str, NonNegativeFloat]
"""Destination (place name or ``exit``) to probability; the values sum to 1."""


class Household(_Frozen):
    """Who one arrival of a segment is: a single adult, or a family moving together."""

    adults: Annotated[int, Field(ge=1, le=20)] = 1
    """Adults in the household. Unit: persons."""
    children: Annotated[int, Field(ge=0, le=20)] = 0
    """Children (under 18) in the household. Unit: persons."""

    @property
    def persons(self) -> int:
        """Everyone in the household, adults and children. Unit: persons."""
        return self.adults + self.children


class Segment(_Frozen):
    """A group of households with the same needs, arrival rate and routes.

    By default every household is one adult; ``household`` makes the segment families.
    """

    name: str
    """The segment's name, used in results and in ``--set segments.<name>...`` overrides."""
    description: str = ""
    """Free text on who the people are, for readers of the file (kept in the manifest)."""
    label: Label = ""
    """The group's name as a reader sees it in reports, figures and tables, e.g.
    ``"Unge under 25"``, or one per language (``{ en = "Young people", nb = "Unge" }``);
    by default its ``name``."""
    arrivals_per_year: NonNegativeFloat | RatePlan = 0.0
    """New people joining the target group (a Poisson process): one rate, or one per
    observed year (the warm-up uses the first, the last holds after the list ends). Unit:
    people per year."""
    initial: dict[str, Annotated[int, Field(ge=0, le=MOST_UNITS)]] = Field(default_factory=dict)
    """People present at time 0 (the start of the warm-up), by place. Unit: people."""
    priority: int = 0
    """With ``policy.priority = "segment"``, lower numbers go first in every queue."""
    breakdown_rate_per_year: dict[str, RatePerYear] = Field(default_factory=dict)
    """Rate of losing the housing (eviction, tenancy breakdown), by housed place. Unit:
    breakdowns per person-year housed."""
    exit_rate_per_year: RatePerYear = 0.0
    """Rate of leaving the target group (moving away, no longer in need, death), wherever
    the person is. Unit: exits per person-year."""
    stay: dict[str, Distribution] = Field(default_factory=dict)
    """Stay distributions that replace the place's own for this segment, by place. Unit:
    days."""
    routes: dict[str, RouteTable] = Field(default_factory=dict)
    """Where people go next: ``start`` (on arrival), ``breakdown`` (after losing their
    housing) and one table per place whose stays end; each maps a place name or ``exit``
    to a probability, and the probabilities sum to 1. Unit: probability."""
    crisis: Crisis | None = None
    """How often the segment's people have crises and what follows; left out, none."""
    household: Household = Field(default_factory=Household)
    """Who each arrival is, e.g. ``household = { adults = 1, children = 2 }``: the
    household moves, waits and is housed as one; metrics that count persons count all of
    them. By default one adult."""

    @field_validator("arrivals_per_year", mode="before")
    @classmethod
    def _rate_shape(cls, value: object) -> object:
        """Give one clear message instead of one per alternative of the union."""
        rates = value if isinstance(value, list) and value else [value]
        for year, rate in enumerate(rates):
            where = f" in observed year {year}" if isinstance(value, list) else ""
            if isinstance(rate, bool) or not isinstance(rate, int | float):
                raise ValueError(f"must be a number of people per year{where}, got {rate!r}")
            if not math.isfinite(rate):
                raise ValueError(f"must be a finite number of people per year{where}, "
                                 f"got {rate!r}")
            if rate < 0:
                raise ValueError(f"must be >= 0 (people per year){where}, got {rate!r}")
            if rate > MOST_ARRIVALS_PER_YEAR:
                raise ValueError(
                    f"must be at most {MOST_ARRIVALS_PER_YEAR:,} people per year{where}, "
                    f"got {rate!r}"
                )
        return value

    def arrival_rate_in_year(self, observed_year: int) -> float:
        """Arrivals per year in an observed year (negative years are warm-up)."""
        rate = self.arrivals_per_year
        if isinstance(rate, list):
            return in_observed_year(rate, observed_year)
        return rate


class Reporting(_Frozen):
    """What results report beyond the standard metrics (``[reporting]``)."""

    municipal_measures: bool = False
    """Also report the measures municipalities report to the state: stays in temporary
    housing over three months (KOSTRA), child-days there, and the week-48 count of
    homeless people (NIBR); see docs/metrics.md. Off by default."""


class Scenario(_Frozen):
    """A whole scenario: places, people, policy, horizon and economics."""

    meta: Meta = Field(default_factory=Meta)
    """What the scenario is and which money it counts in (``[meta]``)."""
    simulation: Simulation = Field(default_factory=Simulation)
    """Horizon, replications and seed (``[simulation]``)."""
    economics: Economics = Field(default_factory=Economics)
    """Discounting, tax financing cost and perspective (``[economics]``)."""
    policy: Policy
    """Where people without a place wait, and queue order (``[policy]``)."""
    places: dict[str, Place]
    """The places, by name (``[places.<name>]``)."""
    segments: Annotated[list[Segment], Field(min_length=1)]
    """The groups of people (``[[segments]]``), at least one."""
    teams: dict[str, Team] = Field(default_factory=dict)
    """Staff teams, by name (``[teams.<name>]``); none by default."""
    costs: Costs = Field(default_factory=Costs)
    """Prices that belong to no place or team (``[costs]``)."""
    reporting: Reporting = Field(default_factory=Reporting)
    """Extra measures to report (``[reporting]``); none by default."""
    uncertainty: dict[str, UncertainParameter] = Field(default_factory=dict)
    """The parameter register (``[uncertainty.<name>]``): uncertain numbers for a
    probabilistic or one-way sensitivity analysis; a plain run ignores it."""
    _sources: list[Any] = PrivateAttr(default_factory=list)
    """The files the scenario was read from (:class:`~bosim.scenario.loading.SourceFile`)."""

    def place_names(self) -> list[str]:
        """Place names in the order the file gives them."""
        return list(self.places)

    def place_label(self, name: str, lang: str = "en") -> str:
        """The name a reader of ``lang`` sees for a place: its ``label``, else its key."""
        place = self.places.get(name)
        return (label_text(place.label, lang) if place is not None else "") or name

    def team_label(self, name: str, lang: str = "en") -> str:
        """The name a reader of ``lang`` sees for a team: its ``label``, else its key."""
        team = self.teams.get(name)
        return (label_text(team.label, lang) if team is not None else "") or name

    def segment_label(self, name: str, lang: str = "en") -> str:
        """The name a reader of ``lang`` sees for a group: its ``label``, else its name."""
        for segment in self.segments:
            if segment.name == name:
                return label_text(segment.label, lang) or name
        return name

    def plan_label(self, fallback: str = "", lang: str = "en") -> str:
        """The name a reader of ``lang`` sees for the plan: ``meta.label``, else ``meta.name``.

        ``fallback`` (a file's name) replaces a ``meta.name`` left at its default.
        """
        label = label_text(self.meta.label, lang)
        if label:
            return label
        if fallback and self.meta.name == "scenario":
            return fallback
        return self.meta.name

    def segment(self, name: str) -> Segment:
        """The segment with this name."""
        for segment in self.segments:
            if segment.name == name:
                return segment
        raise KeyError(name)

    def stay_for(self, segment: Segment, place: str) -> Distribution | None:
        """The stay distribution a segment has in a place (its own override first)."""
        return segment.stay.get(place, self.places[place].stay)
