"""The need state machine (DESIGN.md §3, "Need") as one table.

``accept`` (in_review → accepted, needs a linked program) and the two system transitions
(→ fulfilled, accepted → in_review) arrive with programs.
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
