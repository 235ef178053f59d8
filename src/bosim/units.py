"""Units of time that every layer shares, so that a year is 365 days everywhere.

bosim counts time in days (fractions allowed). Staff time is in hours. These are the
only conversion constants; no other module defines its own.
"""

from __future__ import annotations

DAYS_PER_YEAR = 365.0
"""A simulated year, in days (docs/model.md)."""
MONTHS_PER_YEAR = 12
DAYS_PER_MONTH = DAYS_PER_YEAR / MONTHS_PER_YEAR
"""A month of the monthly time series, in days (30.42)."""
DAYS_PER_WEEK = 7.0
HOURS_PER_DAY = 24.0
HOURS_PER_WEEK = DAYS_PER_WEEK * HOURS_PER_DAY
"""168 hours: service hours repeat every week, starting Monday 00:00 on day 0."""
