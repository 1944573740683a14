"""``flask reminders run``: SLA warnings and escalations (issue 5 item 4).

The reminders themselves (who, when) come from :func:`collab.sla.due_reminders`; this module
turns each into notifications (and e-mails through the outbox). A reminder's ``dedupe_key``
is unique per recipient, so running the command again — from cron every few minutes, or two
runs at once — notifies nobody twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from collab.extensions import db
from collab.models import Need, Program, utcnow
from collab.notifications.services import notify
from collab.sla import due_reminders


@dataclass
class ReminderReport:
    """``warnings`` and ``escalations``: notifications written in this run."""

    warnings: int = 0
    escalations: int = 0


def run_reminders(now: datetime | None = None) -> ReminderReport:
    """Notify the responsible side of every clock due within a working day and escalate the
    overdue ones (UTC ``now``, default the current time); commits. Each reminder is written
    in its own savepoint, so one that a parallel run wrote first is skipped, not fatal."""
    now = now or utcnow()
    report = ReminderReport()
    for reminder in due_reminders(now):
        model = Need if reminder.entity_type == "need" else Program
        entity = db.session.get(model, reminder.entity_id)
        if entity is None:
            continue
        try:
            with db.session.begin_nested():
                made = notify(
                    reminder.event,
                    actor=None,
                    entity=entity,
                    params=reminder.params,
                    recipients=reminder.recipients,
                    dedupe_key=reminder.dedupe_key,
                    now=now,
                )
        except IntegrityError:
            continue  # another run wrote it a moment ago
        if reminder.event == "sla_warning":
            report.warnings += len(made)
        else:
            report.escalations += len(made)
    db.session.commit()
    return report


reminders_cli = AppGroup("reminders", help="SLA warnings and escalations.")


@reminders_cli.command("run")
def run_command() -> None:
    """Warn one working day before a due time and escalate overdue items (safe to repeat)."""
    report = run_reminders()
    click.echo(f"warnings {report.warnings}, escalations {report.escalations}")
