"""Units of different sizes in one place, and which household holds which.

A place with ``units`` (or ``fits``) has sizes of unit, each with a count and the
households it fits (by their number of children). A household takes one unit: the
smallest free one that fits it (:func:`bosim.scenario.unit_sizes.smallest_first`), and
keeps it until it leaves (also while away in an institution). Places without sizes never
come here, so their numbers do not change.

:class:`~bosim.engine.places.Places` asks this module whether a unit fits a household and
tells it when a unit is taken or freed; the queue order is the places module's.
"""

from __future__ import annotations

from dataclasses import dataclass

from bosim.scenario.model import Fits, Place, Segment
from bosim.scenario.unit_sizes import smallest_first

NO_SIZE = -1
"""No size of unit is free for the household (or none fits it)."""


@dataclass(frozen=True)
class CompiledSizes:
    """The sizes of unit of one place, by index: sizes ``k``, segments ``s``, years ``y``."""

    capacity: tuple[tuple[float, ...], ...]
    """``capacity[k][y]`` units of size k in simulated year y (``inf``: unlimited)."""
    choices: tuple[tuple[int, ...], ...]
    """``choices[s]``: the sizes that fit segment s's households, smallest first (empty:
    none fits)."""


def compile_sizes(place: Place, segments: list[Segment], years: range,
                  warmup: int) -> CompiledSizes | None:
    """The place's sizes for the engine, or None for a place every unit of which fits all.

    ``fits`` alone is one size with the place's capacity (plan).
    """
    if place.units is not None:
        sizes: list[Fits] = list(place.units)
        capacity = tuple(
            tuple(float(size.count_in_year(year - warmup)) for year in years)
            for size in place.units
        )
    elif place.fits is not None:
        sizes = [place.fits]
        capacity = (tuple(place.capacity_in_year(year - warmup) for year in years),)
    else:
        return None
    return CompiledSizes(
        capacity=capacity,
        choices=tuple(smallest_first(sizes, segment.household.children)
                      for segment in segments),
    )


class SizedUnits:
    """The units of one place with sizes during a replication: open, taken, closing, by whom.

    Args:
        sizes: the compiled sizes.

    """

    __slots__ = ("capacity", "choices", "closing", "holder", "plan", "taken")

    def __init__(self, sizes: CompiledSizes) -> None:
        self.plan = sizes.capacity
        self.choices = sizes.choices
        self.capacity = [plan[0] for plan in sizes.capacity]
        """Units of each size open now."""
        self.taken = [0] * len(sizes.capacity)
        """Units of each size taken (by people present or away in an institution)."""
        self.closing = [0] * len(sizes.capacity)
        """Units of each size above a reduced capacity, to close as they are vacated."""
        self.holder: dict[int, int] = {}
        """The size of unit each household holds, by person id."""

    def fits(self, segment: int) -> bool:
        """Whether some size of unit fits the households of ``segment``."""
        return bool(self.choices[segment])

    def free_size(self, segment: int) -> int:
        """The smallest size with a free unit that fits ``segment``, or :data:`NO_SIZE`."""
        taken, capacity = self.taken, self.capacity
        for size in self.choices[segment]:
            if taken[size] < capacity[size]:
                return size
        return NO_SIZE

    def any_free(self) -> bool:
        """Whether a unit of any size is free."""
        return any(t < c for t, c in zip(self.taken, self.capacity, strict=True))

    def take(self, person: int, segment: int) -> None:
        """Household ``person`` of ``segment`` takes the smallest free unit that fits it.

        The callers make sure one is free (queues, waiting places and the checks of
        the people present at time 0).
        """
        size = self.free_size(segment)
        assert size != NO_SIZE, "no free unit fits the household"
        self.taken[size] += 1
        self.holder[person] = size

    def free(self, person: int) -> int:
        """Household ``person`` gives up its unit; 1 if the unit closes (a shrinking size)."""
        size = self.holder.pop(person)
        self.taken[size] -= 1
        if self.closing[size]:
            self.closing[size] -= 1
            return 1
        return 0

    def set_year(self, year: int) -> bool:
        """Open or close units for simulated ``year``; whether any count changed.

        Nobody is evicted: units above a reduced count close as they are vacated.
        """
        changed = False
        for size, plan in enumerate(self.plan):
            capacity = plan[min(year, len(plan) - 1)]
            if capacity != self.capacity[size]:
                changed = True
                self.capacity[size] = capacity
                taken = self.taken[size]
                self.closing[size] = int(taken - capacity) if taken > capacity else 0
        return changed

    def audit(self) -> str | None:
        """What is wrong with the counts, if anything (for the places' audit)."""
        for size, taken in enumerate(self.taken):
            if taken > self.capacity[size] + self.closing[size]:
                return (f"size {size}: {taken} units taken, {self.capacity[size]} open "
                        f"(+{self.closing[size]} closing)")
            if taken != sum(1 for held in self.holder.values() if held == size):
                return f"size {size}: {taken} units counted taken, held by others"
        return None
