"""Report number formats in the viewer's locale: ``87,5%`` / ``87.5%``, ``72,3``, ``0,45``."""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent
from flask_babel import get_locale


def _locale() -> str:
    return str(get_locale() or "id")


def percent(value: float | None) -> str:
    """A 0–1 rate as a percentage with at most one decimal; ``—`` for None."""
    if value is None:
        return "—"
    return format_percent(value, format="#,##0.#%", locale=_locale())


def score(value: float | None) -> str:
    """A 0–100 mean score with one decimal; ``—`` for None."""
    if value is None:
        return "—"
    return format_decimal(value, format="#,##0.0", locale=_locale())


def gain(value: float | None) -> str:
    """A normalised gain with two decimals; ``—`` for None."""
    if value is None:
        return "—"
    return format_decimal(value, format="0.00", locale=_locale())
