"""How numbers are written for planners (bosim.presentation.numbers)."""

from __future__ import annotations

import pytest

from bosim.presentation.numbers import significant


@pytest.mark.parametrize(("value", "lang", "text"), [
    (0.0, "en", "0"),
    (-0.0, "en", "0"),
    (0.0, "nb", "0"),
    (0.5, "en", "0.50"),
    (0.5, "nb", "0,50"),
    (0.004, "en", "0.00"),
    (12.34, "en", "12.3"),
    (1234.5, "en", "1\u00a0234"),
])
def test_significant_decimals(value: float, lang: str, text: str) -> None:
    """0-2 decimals by size; an exact zero is written without decimals."""
    assert significant(value, lang) == text
