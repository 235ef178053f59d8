"""Service hours: when a team is open, as intervals of the week.

Accepted forms (day 0 of a simulation is a Monday at 00:00):

- ``"24/7"``: always open;
- ``"mon-fri 08:00-16:00"``, ``"daily 08:00-22:00"``, ``"sat-sun 10:00-18:00"``,
  ``"wed 12:00-20:00"``, ``"mon,wed,fri 09:00-15:00"``;
- a span past midnight, ``"daily 20:00-08:00"``: it starts on the days named and ends
  the next morning;
- ``"daily 00:00-24:00"``: the whole of the days named;
- ``"closed"``: never open;
- a list of these, e.g. ``["mon-fri 08:00-16:00", "sat-sun 10:00-14:00"]``.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from bosim.units import HOURS_PER_DAY, HOURS_PER_WEEK

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(
    r"^(?P<days>[a-z,\-]+)\s+(?P<h1>\d{1,2}):(?P<m1>\d{2})\s*-\s*(?P<h2>\d{1,2}):(?P<m2>\d{2})$"
)


class HoursError(ValueError):
    """A service-hours text bosim cannot read; the message says what is accepted."""


@dataclass(frozen=True)
class ServiceHours:
    """Open intervals within the week, in hours from Monday 00:00, sorted and merged."""

    intervals: tuple[tuple[float, float], ...]

    @property
    def open_hours_per_week(self) -> float:
        """Hours open in a week."""
        return sum(end - start for start, end in self.intervals)

    @functools.cached_property
    def always_open(self) -> bool:
        """Open around the clock, every day (worked out once: asked at every crisis)."""
        return self.intervals == ((0.0, HOURS_PER_WEEK),)

    def is_open(self, day: float) -> bool:
        """Whether the team is open at simulation time ``day`` (days from Monday 00:00)."""
        hour = (day * HOURS_PER_DAY) % HOURS_PER_WEEK
        starts = self._starts
        position = bisect.bisect_right(starts, hour) - 1
        return position >= 0 and hour < self.intervals[position][1]

    @functools.cached_property
    def _starts(self) -> list[float]:
        return [start for start, _ in self.intervals]

    def open_share_of_hour(self, hour_of_week: int) -> float:
        """Share of the hour ``[h, h+1)`` of the week during which the team is open."""
        low, high = float(hour_of_week), float(hour_of_week + 1)
        return sum(max(0.0, min(high, end) - max(low, start)) for start, end in self.intervals)


def parse_hours(text: str | list[str]) -> ServiceHours:
    """Read service hours; raises :class:`HoursError` with what is accepted."""
    parts = text if isinstance(text, list) else [text]
    if not parts:
        raise HoursError("an empty list of hours; write \"closed\" for a team that is never open")
    pieces: list[tuple[float, float]] = []
    for part in parts:
        if not isinstance(part, str):
            raise HoursError(f"hours must be text, got {part!r}")
        pieces.extend(_parse_one(part.strip().lower()))
    return ServiceHours(_merge(pieces))


def _parse_one(text: str) -> list[tuple[float, float]]:
    if text in ("24/7", "always"):
        return [(0.0, HOURS_PER_WEEK)]
    if text == "closed":
        return []
    match = _SPAN.match(text)
    if match is None:
        raise HoursError(
            f"cannot read {text!r}: write e.g. \"24/7\", \"mon-fri 08:00-16:00\", "
            "\"daily 20:00-08:00\" or \"closed\""
        )
    days = _parse_days(match["days"], text)
    start = _clock(match["h1"], match["m1"], text)
    end = _clock(match["h2"], match["m2"], text)
    if start == end:
        raise HoursError(f"{text!r} opens and closes at the same time; use \"24/7\" for always")
    # 00:00-24:00 is the whole day, not an empty span.
    length = (end - start) % HOURS_PER_DAY or HOURS_PER_DAY
    pieces = []
    for day in days:
        begin = day * HOURS_PER_DAY + start
        finish = begin + length
        if finish <= HOURS_PER_WEEK:
            pieces.append((begin, finish))
        else:  # Sunday night into Monday morning
            pieces.append((begin, HOURS_PER_WEEK))
            pieces.append((0.0, finish - HOURS_PER_WEEK))
    return pieces


def _clock(hours: str, minutes: str, text: str) -> float:
    h, m = int(hours), int(minutes)
    if h == 24 and m == 0:
        return HOURS_PER_DAY
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise HoursError(f"{text!r}: {hours}:{minutes} is not a time of day (00:00 to 24:00)")
    return h + m / 60.0


def _parse_days(text: str, whole: str) -> list[int]:
    if text == "daily":
        return list(range(7))
    days: list[int] = []
    for item in text.split(","):
        if "-" in item:
            first, _, last = item.partition("-")
            a, b = _day(first, whole), _day(last, whole)
            span = range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)]
            days.extend(span)
        else:
            days.append(_day(item, whole))
    return sorted(set(days))


def _day(name: str, whole: str) -> int:
    name = name[:3]
    if name not in DAY_NAMES:
        raise HoursError(
            f"{whole!r}: unknown day {name!r}; use mon, tue, wed, thu, fri, sat, sun or daily"
        )
    return DAY_NAMES.index(name)


def _merge(pieces: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(pieces):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)
