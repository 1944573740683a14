"""The report's L1, L3 and L4 sections (Kirkpatrick), fed by :func:`evaluation_context`.

L2 (pre/post tests) is computed in :mod:`collab.reports.stats`; L1 (reaction questionnaire),
L3 (post-training evaluation with the alumnus and supervisor) and L4 (the service indicator)
come from :mod:`collab.evaluation.services`. The templates print "Belum ada data" for
whatever is empty here.
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
    """``{"l1_aspects": [L1Aspect], "l3": L3Status | None, "l4": [L4Row]}`` from the
    evaluation records (:mod:`collab.evaluation.services`).

    L1: mean per questionnaire aspect (1–5) over the answers. L3: follow-ups recorded of the
    enrolled participants, with the status of the follow-up due date. L4 lists the indicators
    of the needs the program serves with the latest achieved value; a Pemda viewer sees only
    their own Pemda's needs (a need's indicator data belong to its Pemda and BKN).
    """
    from collab.evaluation import services as ev

    answers = ev.reactions(program)
    l1 = [
        L1Aspect(
            str(label),
            float(m) if (m := ev.mean([getattr(r, key) for r in answers.values()])) else None,
            len(answers),
        )
        for key, label in ev.ASPECT_LABELS.items()
    ]
    people = ev.enrolled(program)
    done = ev.followups(program)
    recorded = sum(1 for p in people if p.id in done)
    status = ev.followup_status(program, recorded == len(people) and bool(people))
    l3 = L3Status(str(ev.FOLLOWUP_STATUS.get(status, status)), recorded, len(people))
    latest = ev.measurements(program)
    needs = [n for n in program.needs if not viewer.is_pemda or n.pemda_id == viewer.pemda_id]
    l4 = [
        L4Row(
            n.id,
            n.pemda.name,
            n.indicator_name,
            n.indicator_unit,
            n.indicator_baseline,
            n.indicator_target,
            latest[n.id][0].value if latest.get(n.id) else None,
        )
        for n in needs
    ]
    return {"l1_aspects": l1 if answers else [], "l3": l3 if people else None, "l4": l4}
