"""The report's L1, L3 and L4 sections (Kirkpatrick), fed by :func:`evaluation_context`.

L2 (pre/post tests) is computed in :mod:`collab.reports.stats`. L1 (reaction questionnaire)
and L3 (post-training evaluation with the alumnus and supervisor) have no data in Sinergi
yet, and L4's *achieved* indicator value neither; the templates print "Belum ada data" for
whatever is empty here. **Extend this function** when the evaluation models arrive — keep the
keys and shapes below and the templates need no change.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from collab.models import Program, User


@dataclass
class L1Aspect:
    """L1: one questionnaire aspect, its mean on ``scale`` (e.g. 1–4 or 1–5) and *n*."""

    label: str
    mean: float | None
    n: int
    scale: int = 5


@dataclass
class L3Status:
    """L3: how many alumni were evaluated of how many due, and a status text."""

    status: str
    evaluated: int = 0
    due: int = 0


@dataclass
class L4Row:
    """L4: one served need's service indicator, baseline → target → achieved (None: no data
    yet), in the indicator's unit."""

    need_id: int
    pemda: str
    indicator: str
    unit: str | None
    baseline: Decimal | None
    target: Decimal | None
    achieved: Decimal | None = None


def evaluation_context(program: Program, viewer: User) -> dict:
    """``{"l1_aspects": [L1Aspect], "l3": L3Status | None, "l4": [L4Row]}``.

    L4 lists the indicators of the needs the program serves; a Pemda viewer sees only their
    own Pemda's needs (a need's indicator data belong to its Pemda and BKN).
    """
    needs = [n for n in program.needs if not viewer.is_pemda or n.pemda_id == viewer.pemda_id]
    l4 = [
        L4Row(
            n.id,
            n.pemda.name,
            n.indicator_name,
            n.indicator_unit,
            n.indicator_baseline,
            n.indicator_target,
        )
        for n in needs
    ]
    return {"l1_aspects": [], "l3": None, "l4": l4}
