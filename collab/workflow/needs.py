"""The need state machine (DESIGN.md §3, "Need") as one table.

``accept`` happens when a designer links the need to a program (effect ``via_program``: taken by
:mod:`collab.programs.services`, not offered as a button). ``release`` (back to review when every
linked program is cancelled or rejected) and ``fulfil`` (a linked program is evaluated) are
system transitions.
"""

from __future__ import annotations

from collab.workflow.base import Party as P
from collab.workflow.base import row

DRAFT, VERIFYING, SUBMITTED, IN_REVIEW, INFO_REQUESTED = (
    "draft",
    "verifying",
    "submitted",
    "in_review",
    "info_requested",
)
ACCEPTED, DECLINED, WITHDRAWN, FULFILLED = "accepted", "declined", "withdrawn", "fulfilled"

OPEN_STATES = (DRAFT, VERIFYING, SUBMITTED, IN_REVIEW, INFO_REQUESTED)

# fmt: off
NEED_TRANSITIONS = (
    # action         from                          to              who                                   text        effects
    row("submit",       DRAFT,                     VERIFYING,      {P.OWN_ORG_OFFICER}),
    row("submit",       DRAFT,                     SUBMITTED,      {P.PEMDA_APPROVER},                   None,       ("start_sla",)),
    row("verify",       VERIFYING,                 SUBMITTED,      {P.PEMDA_APPROVER},                   None,       ("start_sla",)),
    row("return",       VERIFYING,                 DRAFT,          {P.PEMDA_APPROVER},                   "comment"),
    row("take",         SUBMITTED,                 IN_REVIEW,      {P.ANY_BKN_DESIGNER},                 None,       ("assign_designer", "stop_sla")),
    row("request_info", IN_REVIEW,                 INFO_REQUESTED, {P.ASSIGNED_DESIGNER},                "question"),
    row("respond",      INFO_REQUESTED,            IN_REVIEW,      {P.OBJECT_PEMDA_USER},                "answer"),
    row("decline",      (SUBMITTED, IN_REVIEW),    DECLINED,       {P.ANY_BKN_DESIGNER},                 "reason",   ("stop_sla",)),
    row("withdraw",     OPEN_STATES,               WITHDRAWN,      {P.OBJECT_PEMDA_USER},                "reason",   ("stop_sla",)),
    row("accept",       (SUBMITTED, IN_REVIEW),    ACCEPTED,       {P.ANY_BKN_DESIGNER},                 None,       ("via_program", "assign_designer_if_none", "stop_sla")),
    row("release",      ACCEPTED,                  IN_REVIEW,      set(),                                None,       ("system",)),
    row("fulfil",       ACCEPTED,                  FULFILLED,      set(),                                None,       ("system",)),
)
# fmt: on

EDITABLE_STATES = frozenset({DRAFT})
"""States in which the need's content may be edited."""

TURN = {
    DRAFT: "pemda",
    VERIFYING: "pemda",
    SUBMITTED: "bkn",
    IN_REVIEW: "bkn",
    INFO_REQUESTED: "pemda",
    ACCEPTED: "bkn",
}
"""Whose turn it is in each open state: ``"pemda"`` or ``"bkn"``; closed states are absent."""
