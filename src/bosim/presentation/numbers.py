"""Numbers as a reader of English or Norwegian bokmål expects them.

The only place that formats a number for a person.

Bokmål (Språkrådet): decimal comma, a non-breaking space between thousands, a space
before ``%`` (``21,5 %``), ``mill. kr`` for millions of kroner and ``prosentpoeng`` for a
difference between two shares. English: decimal point, a non-breaking space between
thousands (never a comma, which reads as a decimal sign in Norway), ``21.5%`` and
``percentage points``.
"""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, ScalarFormatter

NBSP = "\u00a0"
MINUS = "\u2212"
"""A typographic minus, as bokmål and print want it (and the same width as a digit)."""


def plain_number(value: float, decimals: int, lang: str = "en", sign: bool = False) -> str:
    """``value`` with ``decimals`` decimals, thousands grouped by a non-breaking space.

    ``sign`` adds ``+`` to positive numbers (differences). NaN is a dash.
    """
    if math.isnan(value):
        return "–"
    text = f"{abs(value):,.{decimals}f}".replace(",", NBSP)
    if lang == "nb":
        text = text.replace(".", ",")
    if value < 0 and float(text.replace(NBSP, "").replace(",", ".")) != 0:
        return (MINUS if lang == "nb" else "-") + text
    return ("+" + text) if sign and value > 0 else text


def significant(value: float, lang: str = "en", sign: bool = False) -> str:
    """A number with as many decimals as a planner needs: 0 from 100, 1 from 10, else 2.

    Exactly zero is ``0`` (a column of money with ``0.00`` among whole kroner reads as
    if the zero were measured to the øre).
    """
    if math.isnan(value):
        return "–"
    decimals = 0 if abs(value) >= 100 or value == 0 else 1 if abs(value) >= 10 else 2
    return plain_number(value, decimals, lang, sign)


def percent(value: float, lang: str = "en", decimals: int = 0, sign: bool = False) -> str:
    """A share as percent: ``21%`` / ``21 %``."""
    if math.isnan(value):
        return "–"
    text = plain_number(100 * value, decimals, lang, sign)
    return f"{text}{NBSP}%" if lang == "nb" else f"{text}%"


def points(value: float, lang: str = "en", decimals: int = 1) -> str:
    """A difference between two shares in percentage points: ``+21.5 pp`` / ``+21,5 p.p.``."""
    if math.isnan(value):
        return "–"
    unit = "prosentpoeng" if lang == "nb" else "percentage points"
    return f"{plain_number(100 * value, decimals, lang, sign=True)}{NBSP}{unit}"


def millions(value: float, lang: str = "en", currency: str = "NOK", decimals: int = 1,
             sign: bool = False) -> str:
    """Money in millions: ``20.1 million NOK`` / ``20,1 mill. kr``."""
    if math.isnan(value):
        return "–"
    text = plain_number(value / 1e6, decimals, lang, sign)
    if lang == "nb":
        return f"{text}{NBSP}mill.{NBSP}{'kr' if currency == 'NOK' else currency}"
    return f"{text}{NBSP}million {currency}"


def is_share(unit: str) -> bool:
    """Whether a metric's (English) unit is a share, shown as percent."""
    return unit == "share" or unit.startswith("share ")


def number(value: object, unit: str, lang: str = "en", difference: bool = False) -> str:
    """A metric's value as a planner reads it: shares as percent, others to 0-2 decimals.

    ``unit`` is the metric's English unit. ``difference`` marks a difference (signed; a
    difference of shares in percentage points).
    """
    figure = float(value)  # type: ignore[arg-type]
    if math.isnan(figure):
        return "–"
    if is_share(unit):
        return points(figure, lang) if difference else percent(figure, lang)
    return significant(figure, lang, sign=difference)


def tick(value: float, _position: object = None, lang: str = "nb") -> str:
    """A tick label on a figure's axis: ``1 500`` and ``0,25`` in bokmål."""
    if value == int(value):
        return plain_number(value, 0, lang)
    decimals = min(max(0, -math.floor(math.log10(abs(value)))) + 1, 4)
    return plain_number(value, decimals, lang).rstrip("0").rstrip(",.")


def localise(figure: Figure, lang: str) -> Figure:
    """Number formats of a figure's numeric axes in ``lang`` (decimal comma in bokmål).

    Axes with text tick labels (places, plans) are left as they are.
    """
    if lang != "nb":
        return figure
    for axes in figure.get_axes():
        for axis in (axes.xaxis, axes.yaxis):
            if isinstance(axis.get_major_formatter(), ScalarFormatter):
                axis.set_major_formatter(FuncFormatter(tick))
    return figure
