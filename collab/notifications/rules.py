"""Who is notified of which event: one table, plain data (no Flask imports).

Each event name maps to its preference ``kind`` (what a user may switch e-mail off for) and
the recipient groups resolved by :func:`collab.notifications.services.resolve_group`. The
acting user is never notified of their own action, and nobody is notified of an item they
may not see (a Pemda never hears of a draft program; BKN never hears of a need the Pemda has
not sent). Event names: ``need.<action>`` and ``program.<action>`` for workflow transitions
(DESIGN.md §3), ``program.approved`` for the last sign-off that approves a revision,
``comment``, ``mention``, ``sla_warning``, ``sla_overdue``.
"""

from __future__ import annotations

from dataclasses import dataclass

# Preference kinds (a user may turn e-mail off per kind; in-app notifications always arrive).
TRANSITION = "transition"
SIGN_OFF = "sign_off"
COMMENT = "comment"
MENTION = "mention"
SLA = "sla"

KINDS = (TRANSITION, SIGN_OFF, COMMENT, MENTION, SLA)

# Recipient groups.
NEED_CREATOR = "need_creator"  # the officer who filed the need
PEMDA_APPROVERS = "pemda_approvers"  # BKPSDM approvers of the need's Pemda / program partners
ASSIGNED_DESIGNER = "assigned_designer"
BKN_DESIGNERS = "bkn_designers"  # every active BKN designer (a newly sent need to triage)
BKN_APPROVERS = "bkn_approvers"
BKN_TRIAGE = "bkn_triage"  # the assigned designer, or every designer while nobody took it
PROGRAM_OWNER = "program_owner"
NEED_CREATORS = "need_creators"  # creators of the needs a program serves
EXPLICIT = "explicit"  # the caller names the recipients (mentions, SLA reminders)

OWNER_GROUPS = frozenset({NEED_CREATOR, PROGRAM_OWNER, NEED_CREATORS})
"""Groups whose members own the item: decisions on it reach them by e-mail even when they
switched e-mail off for that kind (issue 5: "cannot mute decisions on their own items")."""


@dataclass(frozen=True)
class Rule:
    """``kind``: preference group; ``groups``: recipient groups."""

    kind: str
    groups: tuple[str, ...]


# fmt: off
RULES: dict[str, Rule] = {
    # needs
    "need.submit":           Rule(TRANSITION, (PEMDA_APPROVERS, BKN_DESIGNERS, NEED_CREATOR)),
    "need.verify":           Rule(TRANSITION, (BKN_DESIGNERS, NEED_CREATOR)),
    "need.return":           Rule(TRANSITION, (NEED_CREATOR,)),
    "need.take":             Rule(TRANSITION, (NEED_CREATOR, PEMDA_APPROVERS)),
    "need.request_info":     Rule(TRANSITION, (NEED_CREATOR, PEMDA_APPROVERS)),
    "need.respond":          Rule(TRANSITION, (ASSIGNED_DESIGNER,)),
    "need.accept":           Rule(TRANSITION, (NEED_CREATOR, PEMDA_APPROVERS)),
    "need.decline":          Rule(TRANSITION, (NEED_CREATOR, PEMDA_APPROVERS)),
    "need.withdraw":         Rule(TRANSITION, (BKN_TRIAGE, PEMDA_APPROVERS, NEED_CREATOR)),
    "need.release":          Rule(TRANSITION, (NEED_CREATOR, ASSIGNED_DESIGNER)),
    "need.fulfil":           Rule(TRANSITION, (NEED_CREATOR, PEMDA_APPROVERS)),
    # programs
    "program.propose":         Rule(TRANSITION, (BKN_APPROVERS, PEMDA_APPROVERS)),
    "program.approve":         Rule(SIGN_OFF,   (PROGRAM_OWNER,)),
    "program.approved":        Rule(TRANSITION, (PROGRAM_OWNER, BKN_APPROVERS, PEMDA_APPROVERS, NEED_CREATORS)),
    "program.request_changes": Rule(SIGN_OFF,   (PROGRAM_OWNER, BKN_APPROVERS, PEMDA_APPROVERS)),
    "program.reject":          Rule(SIGN_OFF,   (PROGRAM_OWNER, PEMDA_APPROVERS, NEED_CREATORS)),
    "program.schedule":        Rule(TRANSITION, (PEMDA_APPROVERS, NEED_CREATORS)),
    "program.start":           Rule(TRANSITION, (PEMDA_APPROVERS, NEED_CREATORS)),
    "program.complete":        Rule(TRANSITION, (PEMDA_APPROVERS, NEED_CREATORS)),
    "program.close":           Rule(TRANSITION, (PEMDA_APPROVERS, NEED_CREATORS)),
    "program.cancel":          Rule(TRANSITION, (PROGRAM_OWNER, BKN_APPROVERS, PEMDA_APPROVERS, NEED_CREATORS)),
    # conversation and clocks
    "comment":     Rule(COMMENT, (NEED_CREATOR, ASSIGNED_DESIGNER, PEMDA_APPROVERS, PROGRAM_OWNER)),
    "mention":     Rule(MENTION, (EXPLICIT,)),
    "sla_warning": Rule(SLA,     (EXPLICIT,)),
    "sla_overdue": Rule(SLA,     (EXPLICIT,)),
}
# fmt: on
"""Event → rule. A workflow action missing here notifies nobody (tests check every action of
both state machines has a row)."""
