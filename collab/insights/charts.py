"""The SVG charts of ``/reports``, made with :mod:`collab.reports.charts` from an
:class:`collab.insights.queries.Insights`. Every chart has a title and a description, and the
page puts a table with the same numbers beside it."""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup

from collab import labels, reference
from collab.core.i18n import format_number
from collab.insights.queries import URGENCIES, CycleRow, Insights
from collab.reports import formatting
from collab.reports.charts import Series, bar_chart, funnel_chart, stacked_bar_chart

URGENCY_COLORS = {"critical": "#dc3545", "high": "#fd7e14", "medium": "#0dcaf0", "low": "#adb5bd"}
YEAR_COLORS = ("#0d6efd", "#198754", "#6f42c1", "#fd7e14", "#20c997", "#6c757d")
CYCLE_COLOR = "#6f42c1"
PROGRESS_COLOR = "#198754"


def urusan_name(code: str) -> str:
    """``1.02 Kesehatan`` (the reference list's name; the code alone when unknown)."""
    item = reference.urusan().get(code)
    return f"{code} {item.name}" if item else code


def _cycle_chart(title: str, desc: str, rows: list[CycleRow], names: dict) -> Markup:
    values = [r.median for r in rows]
    return bar_chart(
        title,
        [str(names[r.state]) for r in rows],
        [Series(_("Median hari kerja"), CYCLE_COLOR, values)],
        max([v for v in values if v is not None] + [1.0]),
        format_number,
        desc,
    )


def build_charts(data: Insights) -> dict[str, Markup]:
    """The page's five kinds of chart (six SVGs), by template name."""
    urusan = stacked_bar_chart(
        _("Usulan kebutuhan per urusan dan tingkat urgensi"),
        [urusan_name(r.code) for r in data.needs_by_urusan],
        [
            Series(
                str(labels.URGENCY[u]),
                URGENCY_COLORS[u],
                [r.by_urgency[u] for r in data.needs_by_urusan],
            )
            for u in URGENCIES
        ],
        format_number,
        _("Jumlah usulan yang telah diajukan ke BKN per urusan, bertumpuk menurut urgensi."),
    )
    f = data.funnel
    funnel = funnel_chart(
        _("Dari usulan hingga evaluasi"),
        [
            (_("Usulan diajukan"), f.filed),
            (_("Usulan yang mendapat program"), f.with_program),
            (_("Program terlaksana"), f.delivered),
            (_("Program selesai dievaluasi"), f.evaluated),
        ],
        format_number,
        _(
            "Jumlah usulan yang diajukan, usulan yang dilayani program, program yang terlaksana "
            "dan program yang selesai dievaluasi."
        ),
    )
    need_cycle = _cycle_chart(
        _("Median lama usulan pada setiap status"),
        _("Median hari kerja yang dihabiskan usulan pada setiap status sebelum berpindah."),
        data.need_cycle,
        labels.NEED_STATUS,
    )
    program_cycle = _cycle_chart(
        _("Median lama program pada setiap status"),
        _("Median hari kerja yang dihabiskan program pada setiap status sebelum berpindah."),
        data.program_cycle,
        labels.PROGRAM_STATUS,
    )
    pemda = sorted({(r.pemda, r.pemda_id) for r in data.jp})
    years = sorted({r.year for r in data.jp})
    jp_of = {(r.pemda_id, r.year): r.jp for r in data.jp}
    jp_series = [
        Series(
            str(y), YEAR_COLORS[i % len(YEAR_COLORS)], [jp_of.get((pid, y)) for _n, pid in pemda]
        )
        for i, y in enumerate(years)
    ]
    jp = bar_chart(
        _("JP yang diperoleh ASN per Pemda dan tahun"),
        [name for name, _pid in pemda],
        jp_series,
        max([r.jp for r in data.jp] + [1]),
        format_number,
        _("Jumlah JP yang diperoleh ASN yang lulus, per Pemda dan tahun berakhirnya program."),
    )
    progress = [r.progress for r in data.indicators]
    indicator = bar_chart(
        _("Capaian indikator terhadap target (L4)"),
        [f"{r.pemda}: {r.indicator}" for r in data.indicators],
        [Series(_("Capaian"), PROGRESS_COLOR, progress)],
        max([p for p in progress if p is not None] + [1.0]),
        formatting.percent,
        _(
            "Seberapa jauh indikator layanan bergerak dari kondisi awal ke target: 100% berarti "
            "target tercapai."
        ),
    )
    return {
        "urusan_chart": urusan,
        "funnel_chart": funnel,
        "need_cycle_chart": need_cycle,
        "program_cycle_chart": program_cycle,
        "jp_chart": jp,
        "indicator_chart": indicator,
    }
