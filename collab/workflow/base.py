"""Generic transition-table machinery shared by the need and program workflows.

A table is a tuple of :class:`Transition` rows. The service layer works out which
:class:`Party` values the acting user fulfils for one object (its own organisation, the Pemda's
approver, any BKN designer, the assigned designer, …) and asks :func:`find` for the row, or
:func:`available` for the buttons a page shows. The same table drives both.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from collab.errors import InvalidTransition, NotAllowed


class Party(enum.StrEnum):
    """How an acting user relates to the object."""

    OWN_ORG_OFFICER = "own_org_officer"  # pemda_officer in the object's OPD subtree
    PEMDA_APPROVER = "pemda_approver"  # pemda_approver of the object's Pemda
    OBJECT_PEMDA_USER = "object_pemda_user"  # either of the above
    ANY_BKN_DESIGNER = "any_bkn_designer"
    ASSIGNED_DESIGNER = "assigned_designer"
    BKN_APPROVER = "bkn_approver"
    OWNER_DESIGNER = "owner_designer"  # the designer who owns a program
    PARTNER_APPROVER = "partner_approver"  # pemda_approver of one of a program's partner Pemda


@dataclass(frozen=True)
class Transition:
    """One row: ``action`` moves an object from any of ``sources`` to ``target`` when done by
    a user who is one of ``parties``. ``comment`` names the required text (``"reason"``,
    ``"question"``, ``"answer"``, ``"comment"``) or is None. ``effects`` are names the service
    applies (``"start_sla"``, ``"assign_designer"``)."""

    action: str
    sources: frozenset[str]
    target: str
    parties: frozenset[Party]
    comment: str | None = None
    effects: tuple[str, ...] = ()


def row(action, sources, target, parties, comment=None, effects=()) -> Transition:
    """Shorthand for building a :class:`Transition` from plain iterables."""
    if isinstance(sources, str):
        sources = (sources,)
    return Transition(action, frozenset(sources), target, frozenset(parties), comment, effects)


def available(table: Iterable[Transition], state: str, parties: set[Party]) -> list[Transition]:
    """Rows the user may take now, in table order (one per action). Rows with the effect
    ``"via_program"`` or ``"system"`` are taken by other services, never offered as buttons."""
    seen, out = set(), []
    for t in table:
        if "system" in t.effects or "via_program" in t.effects:
            continue
        if state in t.sources and t.parties & parties and t.action not in seen:
            seen.add(t.action)
            out.append(t)
    return out


def guards_of(t: Transition) -> list[str]:
    """Guard names of a row (effects written ``"guard:<name>"``)."""
    return [e.split(":", 1)[1] for e in t.effects if e.startswith("guard:")]


def system_row(table: Iterable[Transition], action: str, state: str) -> Transition:
    """The system row for ``action`` from ``state``; raises :class:`InvalidTransition`."""
    for t in table:
        if t.action == action and "system" in t.effects and state in t.sources:
            return t
    raise InvalidTransition(f"no system transition {action!r} from {state!r}")


def find(
    table: Iterable[Transition],
    action: str,
    state: str,
    parties: set[Party],
    *,
    state_label=str,
    done_message=None,
    translate=lambda s: s,
) -> Transition:
    """Return the row for ``action`` from ``state`` by a user fulfilling ``parties``.

    Raises :class:`NotAllowed` when no row of ``action`` admits the user at all, and
    :class:`InvalidTransition` (409) when the user could do it but not from ``state`` — with
    ``done_message`` when ``state`` is already where the action would lead (a double submit).
    ``translate`` is the caller's gettext, so this module stays free of Flask.
    """
    rows = [t for t in table if t.action == action]
    if not rows:
        raise InvalidTransition(f"unknown action {action!r}")
    mine = [t for t in rows if t.parties & parties]
    if not mine:
        raise NotAllowed(translate("Anda tidak berwenang melakukan tindakan ini."))
    for t in mine:
        if state in t.sources:
            return t
    if done_message and any(t.target == state for t in mine):
        raise InvalidTransition(done_message)
    raise InvalidTransition(
        translate("Tindakan ini tidak dapat dilakukan pada status %(status)s.")
        % {"status": state_label(state)}
    )
