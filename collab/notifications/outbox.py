"""Sending the e-mail outbox: ``flask outbox send``.

Each message is claimed before sending (``pending`` → ``sending``, committed), sent through
Flask-Mailman, then marked ``sent``. A failed send goes back to ``pending`` with an
exponential back-off (1, 2, 4 … minutes, at most 6 hours) and is given up as ``failed`` after
:attr:`EmailOutbox.MAX_ATTEMPTS` tries. Two senders running at once never claim the same row
(the claim is a conditional UPDATE). A sender that dies after claiming leaves the row
``sending``; after :data:`LEASE` it is tried again with the same Message-ID, so at worst a
receiving server sees one duplicate it can recognise — never a lost e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup
from flask_mailman import EmailMessage

from collab.extensions import db, mail
from collab.models import EmailOutbox, User, utcnow

LEASE = timedelta(minutes=10)
"""How long a claimed message may stay ``sending`` before another sender retries it."""

MAX_BACKOFF = timedelta(hours=6)


@dataclass
class SendReport:
    """Counts of one run: ``sent``, ``retrying`` (failed, will be tried again), ``failed``
    (given up)."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


def backoff(attempts: int) -> timedelta:
    """Wait before try ``attempts + 1``: 2^(attempts-1) minutes, at most 6 hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _due_ids(now: datetime, limit: int) -> list[int]:
    stmt = (
        sa.select(EmailOutbox.id)
        .where(
            sa.or_(
                sa.and_(EmailOutbox.status == "pending", EmailOutbox.next_attempt_at <= now),
                sa.and_(EmailOutbox.status == "sending", EmailOutbox.claimed_at < now - LEASE),
            )
        )
        .order_by(EmailOutbox.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def _claim(mail_id: int, now: datetime) -> bool:
    result = db.session.execute(
        sa.update(EmailOutbox)
        .where(
            EmailOutbox.id == mail_id,
            sa.or_(
                sa.and_(EmailOutbox.status == "pending", EmailOutbox.next_attempt_at <= now),
                sa.and_(EmailOutbox.status == "sending", EmailOutbox.claimed_at < now - LEASE),
            ),
        )
        .values(status="sending", claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def send_due(now: datetime | None = None, limit: int = 200) -> SendReport:
    """Send up to ``limit`` due messages, committing after each. Never raises for a failed
    send (the error is kept in ``last_error``). A message goes to the recipient's current
    address; one whose recipient has been deactivated is marked ``failed``, not sent."""
    report = SendReport()
    now = now or utcnow()
    for mail_id in _due_ids(now, limit):
        # The claim is stamped with the time it is made, not the run's start, so a long run
        # never hands another sender a lease that looks expired already.
        claim_at = max(now, utcnow())
        if not _claim(mail_id, claim_at):
            continue  # another sender has it
        row = db.session.get(EmailOutbox, mail_id, populate_existing=True)
        user = db.session.get(User, row.recipient_id) if row.recipient_id else None
        if user is not None and not user.active:
            row.status = "failed"
            row.last_error = "recipient deactivated before sending"
            report.failed += 1
            db.session.commit()
            continue
        if user is not None:
            row.to_address = user.email  # the address as it is now, not when queued
        try:
            message = EmailMessage(
                subject=row.subject,
                body=row.body_text,
                from_email=current_app.config["MAIL_DEFAULT_SENDER"],
                to=[row.to_address],
                headers={"Message-ID": row.message_id, "Content-Language": row.language},
            )
            message.send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - any transport error is retried later
            row.attempts += 1
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if row.attempts >= EmailOutbox.MAX_ATTEMPTS:
                row.status = "failed"
                report.failed += 1
            else:
                row.status = "pending"
                row.next_attempt_at = now + backoff(row.attempts)
                report.retrying += 1
            current_app.logger.warning("e-mail %s not sent: %s", row.id, row.last_error)
        else:
            row.attempts += 1
            row.status = "sent"
            row.sent_at = utcnow()
            row.last_error = None
            report.sent += 1
        db.session.commit()
    return report


outbox_cli = AppGroup("outbox", help="Send queued e-mail.")


@outbox_cli.command("send")
@click.option("--limit", default=200, show_default=True, help="At most this many e-mails.")
def send_command(limit: int) -> None:
    """Send the e-mails that are due (safe to run from cron every minute)."""
    report = send_due(limit=limit)
    click.echo(f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}")


__all__ = ["SendReport", "backoff", "mail", "outbox_cli", "send_due"]
