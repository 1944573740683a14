"""Working-day SLA clocks and the reminders they call for (DESIGN.md §3).

Two clocks run in the product:

- a need's **first response**: from the moment its Pemda sends it to BKN (``Need.sla_due_at``,
  set by :func:`collab.needs.services.transition_need`: critical 2, high 5, medium 10, low 20
  working days) until BKN first acts on it. It runs while the need is ``submitted`` and
  ``first_response_at`` is empty; BKN is the side that owes the response.
- a proposal's **sign-off**: from ``propose`` (``Program.signoff_due_at``: 5 working days,
  ``SIGNOFF_WORKING_DAYS``) until the program leaves ``proposed``. The side that owes it is
  whoever has not signed the current revision: BKN, the Pemda, or both.

Units everywhere: datetimes are aware UTC; day counts are Indonesian working days (weekdays that
are not public holidays, :mod:`collab.core.workdays`) counted on calendar dates in the item's
zone — the Pemda's IANA zone for a need, the program's ``timezone`` for a program. A deadline is
23:59:59 local time of its day. Nothing here commits or sends anything: :func:`due_reminders`
only says who should be told what (the notifications module sends and de-duplicates).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from collab import labels
from collab.core.workdays import working_days_between
from collab.extensions import db
from collab.models import Need, Organization, Program, Role, User, utcnow
from collab.programs.queries import list_pending_parties
from collab.programs.services import program_turn

FIRST_RESPONSE = "first_response"
SIGN_OFF = "sign_off"

WARN_WORKING_DAYS = 1
"""A clock is *due soon* (and its side is warned) with this many working days left or fewer."""

CANDIDATE_HORIZON = timedelta(days=21)
"""Reminder candidates are clocks due within this many calendar days: one working day is never
further away than that, even across the longest run of Indonesian holidays and weekends."""

SIDES = ("bkn", "pemda", "both")


@dataclass(frozen=True)
class SlaClock:
    """A running clock. ``kind``: ``"first_response"`` (need) or ``"sign_off"`` (proposal);
    ``side``: who owes the next move, ``"bkn"``, ``"pemda"`` or ``"both"``; ``due_at``: aware
    UTC; ``zone``: the IANA zone its working days are counted in; ``working_days_left``: whole
    working days from today to the due day (0 = due today, negative = working days late, at
    least -1 once past); ``overdue``: past ``due_at``; ``due_soon``: not overdue and at most
    one working day left; ``now``: the instant it was read at (aware UTC)."""

    kind: str
    side: str
    due_at: datetime
    zone: str
    working_days_left: int
    overdue: bool
    due_soon: bool
    now: datetime | None = None

    @property
    def state(self) -> str:
        """``"overdue"``, ``"due_soon"`` or ``"running"`` (for CSS hooks and tests)."""
        return "overdue" if self.overdue else ("due_soon" if self.due_soon else "running")

    @property
    def days_late(self) -> int:
        """Working days past the due time (≥ 1 when overdue, else 0)."""
        return -self.working_days_left if self.overdue else 0


def working_days_left(due_at: datetime, now: datetime, zone: str) -> int:
    """Working days from ``now``'s local date to ``due_at``'s in ``zone``: 0 when due today,
    1 when due on the next working day; once ``now`` is past ``due_at``, minus the working days
    since the due day (at least -1, so a deadline missed on a Friday evening reads "1 working
    day late" over the weekend)."""
    if now <= due_at:
        return working_days_between(now, due_at, zone)
    return -max(1, working_days_between(due_at, now, zone))


def make_clock(kind: str, side: str, due_at: datetime, zone: str, now: datetime) -> SlaClock:
    """A :class:`SlaClock` for a deadline ``due_at`` (aware UTC) seen at ``now``."""
    left = working_days_left(due_at, now, zone)
    overdue = now > due_at
    return SlaClock(
        kind=kind,
        side=side,
        due_at=due_at,
        zone=zone,
        working_days_left=left,
        overdue=overdue,
        due_soon=not overdue and left <= WARN_WORKING_DAYS,
        now=now,
    )


def need_clock(need: Need, now: datetime | None = None) -> SlaClock | None:
    """The need's first-response clock, or None when it does not run (not ``submitted``,
    already answered, or never sent). Reads only the need's columns and its joined Pemda."""
    if need.status != "submitted" or need.sla_due_at is None or need.first_response_at:
        return None
    return make_clock(FIRST_RESPONSE, "bkn", need.sla_due_at, need.pemda.timezone, now or utcnow())


def program_clock(
    program: Program, now: datetime | None = None, side: str | None = None
) -> SlaClock | None:
    """The proposal's sign-off clock, or None when it does not run (not ``proposed``, or no due
    time). ``side`` is whose sign-off is missing (``"bkn"``, ``"pemda"``, ``"both"``); pass it
    when known (lists compute it for many programs at once with
    :func:`collab.programs.queries.list_pending_parties`), else it is read with one query."""
    if program.status != "proposed" or program.signoff_due_at is None:
        return None
    side = side or program_turn(program)
    return make_clock(SIGN_OFF, side, program.signoff_due_at, program.timezone, now or utcnow())


def clock(item: Need | Program, now: datetime | None = None, side: str | None = None):
    """The running clock of a need or a program (see :func:`need_clock`,
    :func:`program_clock`), or None."""
    if isinstance(item, Need):
        return need_clock(item, now)
    if isinstance(item, Program):
        return program_clock(item, now, side)
    return None


def clock_label(c: SlaClock, zone: str | None = None) -> str:
    """Display text in the viewer's language: ``Menunggu BKN · sisa 3 hari kerja`` (left),
    ``Menunggu Pemda · tenggat hari ini`` (due today), ``Menunggu BKN · Terlambat 2 hari
    kerja`` — worded apart from the "· 3 hari" (days since the last change) shown when no clock
    runs. "Today" is the viewer's today: the days are counted in ``zone`` (default: the
    viewer's), so a WIT reader of a WIB deadline at 23.59 reads "sisa 1 hari kerja", matching
    the due time shown to them (01.59 WIT the next day); the deadline itself does not move."""
    from collab.core.i18n import select_timezone

    turn = labels.TURN[c.side]
    zone = zone or select_timezone()
    left = c.working_days_left
    if c.now is not None and zone != c.zone and not c.overdue:
        left = working_days_left(c.due_at, c.now, zone)
    if c.overdue:
        late = c.days_late
        text = (
            _("Terlambat 1 hari kerja")
            if late == 1
            else ngettext("Terlambat %(num)s hari kerja", "Terlambat %(num)s hari kerja", late)
        )
    elif left <= 0:
        text = _("tenggat hari ini")
    elif left == 1:
        text = _("sisa 1 hari kerja")
    else:
        text = ngettext("sisa %(num)s hari kerja", "sisa %(num)s hari kerja", left)
    return f"{turn} · {text}"


# --- reminders --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """One reminder to send (by the notifications module; nothing is sent here).

    ``event``: ``"sla_warning"`` (at most one working day left) or ``"sla_overdue"`` (past due:
    escalation); ``entity_type``: ``"need"`` or ``"program"``; ``recipients``: active users of
    active organisations, each once, by id; ``dedupe_key``: the same for the same item, due time
    and event, e.g. ``sla_warning:need:12:2026-08-19T16:59:59+00:00`` (a new revision or a new
    submission gives a new due time, hence a new key); ``params``: plain JSON values —
    ``title``, ``due_at`` (ISO 8601, UTC), ``zone`` (IANA), ``days`` (working days left for a
    warning, 0 = today; working days late for an overdue), ``side`` (``bkn``/``pemda``/``both``),
    ``kind`` (``first_response``/``sign_off``) and for programs ``revision`` and
    ``pending`` (names of the parties that have not signed)."""

    event: str
    entity_type: str
    entity_id: int
    recipients: list[User]
    dedupe_key: str
    params: dict


def _key(event: str, entity_type: str, entity_id: int, due_at: datetime) -> str:
    return f"{event}:{entity_type}:{entity_id}:{due_at.isoformat()}"


def _params(c: SlaClock, title: str, **extra) -> dict:
    return {
        "title": title,
        "due_at": c.due_at.isoformat(),
        "zone": c.zone,
        "days": c.days_late if c.overdue else max(0, c.working_days_left),
        "side": c.side,
        "kind": c.kind,
        **extra,
    }


def _unique(users: Iterable[User | None]) -> list[User]:
    out: dict[int, User] = {}
    for u in users:
        if u is not None and u.id not in out:
            out[u.id] = u
    return sorted(out.values(), key=lambda u: u.id)


class _Staff:
    """The active users of active organisations who can receive SLA reminders, loaded in one
    statement: BKN designers and approvers, and Pemda approvers by Pemda id."""

    def __init__(self, pemda_ids: set[int]):
        roles = [Role.BKN_DESIGNER, Role.BKN_APPROVER]
        cond = User.role.in_(roles)
        if pemda_ids:
            cond = sa.or_(
                cond,
                sa.and_(
                    User.role == Role.PEMDA_APPROVER, Organization.pemda_id.in_(sorted(pemda_ids))
                ),
            )
        users = db.session.scalars(
            sa.select(User)
            .join(Organization, Organization.id == User.org_id)
            .where(User.active.is_(True), Organization.active.is_(True), cond)
            .order_by(User.id)
        ).unique()
        self.by_id: dict[int, User] = {}
        self.designers: list[User] = []
        self.bkn_approvers: list[User] = []
        self.pemda_approvers: dict[int, list[User]] = {}
        for u in users:
            self.by_id[u.id] = u
            if u.role == Role.BKN_DESIGNER:
                self.designers.append(u)
            elif u.role == Role.BKN_APPROVER:
                self.bkn_approvers.append(u)
            else:
                self.pemda_approvers.setdefault(u.org.pemda_id, []).append(u)

    def approvers_of(self, parties: Iterable[str]) -> list[User]:
        """Approvers of the given sign-off parties (``"bkn"`` or a Pemda id as text)."""
        out: list[User] = []
        for party in parties:
            if party == "bkn":
                out += self.bkn_approvers
            else:
                out += self.pemda_approvers.get(int(party), [])
        return out


def due_reminders(now: datetime | None = None) -> list[Reminder]:
    """Every SLA reminder due at ``now`` (aware UTC; default: the current time).

    - a need whose first-response clock has at most one working day left: ``sla_warning`` to
      its assigned designer if any (and still active), else to every active BKN designer;
      once past due: ``sla_overdue`` to every active BKN approver.
    - a proposal whose sign-off clock has at most one working day left: ``sla_warning`` to the
      active approvers of each party that has not signed the current revision (BKN approvers,
      and/or the pemda_approver users of each such partner Pemda); once past due:
      ``sla_overdue`` to the same approvers and the program's owner designer.

    Clocks that do not run (withdrawn, taken or declined needs; approved, sent back, rejected or
    cancelled programs) give nothing. Five statements at most, whatever the number of items.
    Reminders without any recipient are left out. Order: needs, then programs, by id.
    """
    now = now or utcnow()
    horizon = now + CANDIDATE_HORIZON
    needs = list(
        db.session.scalars(
            sa.select(Need)
            .where(
                Need.status == "submitted",
                Need.first_response_at.is_(None),
                Need.sla_due_at.is_not(None),
                Need.sla_due_at <= horizon,
            )
            .order_by(Need.id)
        ).unique()
    )
    programs = list(
        db.session.scalars(
            sa.select(Program)
            .where(
                Program.status == "proposed",
                Program.signoff_due_at.is_not(None),
                Program.signoff_due_at <= horizon,
            )
            .order_by(Program.id)
        ).unique()
    )
    need_clocks = [(n, c) for n in needs if (c := need_clock(n, now)) and (c.due_soon or c.overdue)]
    pending = list_pending_parties(programs) if programs else {}
    program_clocks = []
    for p in programs:
        parties = pending.get(p.id, {})
        c = program_clock(p, now, program_turn(p, list(parties)))
        if c and (c.due_soon or c.overdue):
            program_clocks.append((p, c, parties))
    if not need_clocks and not program_clocks:
        return []
    pemda_ids = {int(k) for _p, _c, parties in program_clocks for k in parties if k != "bkn"}
    staff = _Staff(pemda_ids)
    out: list[Reminder] = []
    for need, c in need_clocks:
        if c.overdue:
            event, recipients = "sla_overdue", staff.bkn_approvers
        else:
            assigned = staff.by_id.get(need.assigned_designer_id or 0)
            event = "sla_warning"
            recipients = [assigned] if assigned and assigned.role == Role.BKN_DESIGNER else []
            recipients = recipients or staff.designers
        out.append(
            Reminder(
                event=event,
                entity_type="need",
                entity_id=need.id,
                recipients=_unique(recipients),
                dedupe_key=_key(event, "need", need.id, c.due_at),
                params=_params(c, need.title),
            )
        )
    for program, c, parties in program_clocks:
        recipients = staff.approvers_of(parties)
        event = "sla_warning"
        if c.overdue:
            event = "sla_overdue"
            recipients = recipients + [staff.by_id.get(program.owner_id)]
        out.append(
            Reminder(
                event=event,
                entity_type="program",
                entity_id=program.id,
                recipients=_unique(recipients),
                dedupe_key=_key(event, "program", program.id, c.due_at),
                params=_params(
                    c,
                    program.title,
                    revision=program.current_revision,
                    pending=list(parties.values()),
                ),
            )
        )
    return [r for r in out if r.recipients]
