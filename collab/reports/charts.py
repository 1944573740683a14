"""Bar charts (grouped, stacked) and a funnel as inline SVG made in Python (no JavaScript, no
external file), so the same markup shows in the browser and in WeasyPrint's PDF. Every chart
has a ``<title>`` and a ``<desc>``, and the page puts a table with the same numbers beside it.

Horizontal bars: per category its label on a line of its own (long Pemda names fit), then one
bar per series with the value printed after the bar (:func:`bar_chart`), or one bar made of the
series' segments (:func:`stacked_bar_chart`); :func:`funnel_chart` centres one bar per step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count

from markupsafe import Markup, escape

WIDTH = 460
LABEL_H = 14
VALUE_W = 56
BAR_H = 14
GAP = 4
ROW_GAP = 10
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"

_ids = count(1)


@dataclass
class Series:
    """One series: its legend name, fill colour and a value (or None) per category."""

    name: str
    color: str
    values: Sequence[float | None]


def _clip(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    max_value: float,
    fmt: Callable[[float | None], str],
    desc: str = "",
) -> Markup:
    """An SVG horizontal bar chart; ``max_value`` is the full width of a bar."""
    uid = f"chart{next(_ids)}"
    legend_h = 20 if len(series) > 1 else 0
    row_h = LABEL_H + len(series) * (BAR_H + GAP) - GAP
    height = legend_h + max(1, len(categories)) * (row_h + ROW_GAP) + 4
    plot_w = WIDTH - VALUE_W
    out = _svg_open(uid, height, title, desc) + (_legend(series) if legend_h else [])
    y = legend_h
    out.append(f'<line x1="0.5" y1="{y}" x2="0.5" y2="{height - 2}" stroke="#6c757d"/>')
    for i, label in enumerate(categories):
        out.append(f'<text x="4" y="{y + LABEL_H - 3}">{escape(_clip(label))}</text>')
        for k, s in enumerate(series):
            value = s.values[i]
            by = y + LABEL_H + k * (BAR_H + GAP)
            w = 0.0 if value is None or max_value <= 0 else plot_w * max(0.0, value) / max_value
            out.append(
                f'<rect x="1" y="{by}" width="{min(w, plot_w):.1f}" height="{BAR_H}" '
                f'fill="{s.color}"/>'
            )
            out.append(
                f'<text x="{min(w, plot_w) + 5:.1f}" y="{by + BAR_H - 3}">'
                f"{escape(fmt(value))}</text>"
            )
        y += row_h + ROW_GAP
    out.append("</svg>")
    return Markup("".join(out))


def _svg_open(uid: str, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{uid}-t {uid}-d" font-family="{FONT}" font-size="11">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc)}</desc>',
    ]


def _legend(series: Sequence[Series]) -> list[str]:
    out, x = [], 0
    for s in series:
        out.append(f'<rect x="{x}" y="3" width="10" height="10" fill="{s.color}"/>')
        out.append(f'<text x="{x + 14}" y="12">{escape(s.name)}</text>')
        x += 14 + 7 * len(s.name) + 16
    return out


def stacked_bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    fmt: Callable[[float | None], str],
    desc: str = "",
) -> Markup:
    """An SVG horizontal stacked bar chart: per category its label, then one bar made of the
    series' values side by side (each segment as wide as its value), the total printed after
    it. The longest total is the full width; None counts as 0."""
    uid = f"chart{next(_ids)}"
    legend_h = 20
    row_h = LABEL_H + BAR_H
    height = legend_h + max(1, len(categories)) * (row_h + ROW_GAP) + 4
    plot_w = WIDTH - VALUE_W
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    top = max(totals, default=0)
    out = _svg_open(uid, height, title, desc) + _legend(series)
    y = legend_h
    out.append(f'<line x1="0.5" y1="{y}" x2="0.5" y2="{height - 2}" stroke="#6c757d"/>')
    for i, label in enumerate(categories):
        out.append(f'<text x="4" y="{y + LABEL_H - 3}">{escape(_clip(label))}</text>')
        x = 1.0
        by = y + LABEL_H
        for s in series:
            value = s.values[i] or 0
            w = plot_w * max(0.0, value) / top if top > 0 else 0.0
            if w > 0:
                out.append(
                    f'<rect x="{x:.1f}" y="{by}" width="{w:.1f}" height="{BAR_H}" '
                    f'fill="{s.color}"><title>{escape(s.name)}: {escape(fmt(value))}</title></rect>'
                )
            x += w
        out.append(f'<text x="{x + 5:.1f}" y="{by + BAR_H - 3}">{escape(fmt(totals[i]))}</text>')
        y += row_h + ROW_GAP
    out.append("</svg>")
    return Markup("".join(out))


def funnel_chart(
    title: str,
    steps: Sequence[tuple[str, float]],
    fmt: Callable[[float | None], str],
    desc: str = "",
    color: str = "#0d6efd",
) -> Markup:
    """An SVG funnel: one centred bar per ``(label, value)`` step, top to bottom, as wide as
    its value relative to the largest step, with the label above and the value inside or
    beside it."""
    uid = f"chart{next(_ids)}"
    bar_h = 22
    row_h = LABEL_H + bar_h
    height = max(1, len(steps)) * (row_h + ROW_GAP) + 4
    top = max((v for _label, v in steps), default=0)
    out = _svg_open(uid, height, title, desc)
    y = 0
    for label, value in steps:
        w = (WIDTH - 2) * max(0.0, value) / top if top > 0 else 0.0
        x = (WIDTH - w) / 2
        out.append(
            f'<text x="{WIDTH / 2:.1f}" y="{y + LABEL_H - 3}" text-anchor="middle">'
            f"{escape(_clip(label))}</text>"
        )
        by = y + LABEL_H
        out.append(
            f'<rect x="{x:.1f}" y="{by}" width="{max(w, 1):.1f}" height="{bar_h}" fill="{color}"/>'
        )
        inside = w >= 40
        fill = "#fff" if inside else "#212529"
        tx = WIDTH / 2 if inside else (WIDTH + w) / 2 + 5
        anchor = "middle" if inside else "start"
        out.append(
            f'<text x="{tx:.1f}" y="{by + bar_h - 7}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="bold">{escape(fmt(value))}</text>'
        )
        y += row_h + ROW_GAP
    out.append("</svg>")
    return Markup("".join(out))
