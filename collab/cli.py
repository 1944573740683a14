"""Command-line tools: ``flask seed-demo``, ``flask users create``."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from collab.errors import ValidationFailed
from collab.extensions import db
from collab.models import Organization, Role

users_cli = AppGroup("users", help="Manage accounts.")


def _find_org(ref: str) -> Organization | None:
    """An organisation by id, exact name or Kemendagri region code."""
    stmt = sa.select(Organization)
    if ref.isdigit():
        return db.session.get(Organization, int(ref))
    org = db.session.scalar(stmt.where(Organization.name == ref))
    return org or db.session.scalar(stmt.where(Organization.region_code == ref))


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--org", "org_ref", required=True, help="Organisation id, exact name or region code")
@click.option("--password", required=True, help="At least 12 characters")
def create_user_command(email, name, role, org_ref, password):
    """Create an account (there is no self sign-up)."""
    from collab.admin.services import create_user

    org = _find_org(org_ref)
    if org is None:
        raise click.BadParameter(f"no organisation {org_ref!r}", param_hint="--org")
    try:
        user = create_user(None, email=email, name=name, role=role, org=org, password=password)
    except ValidationFailed as exc:
        db.session.rollback()
        msgs = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in exc.errors.items())
        raise click.ClickException(msgs or exc.message) from exc
    db.session.commit()
    click.echo(f"created user {user.id} {user.email} ({role}, {org.name})")


def register_cli(app: Flask) -> None:
    """Attach the commands to the app's ``flask`` CLI."""
    from collab.notifications.outbox import outbox_cli
    from collab.notifications.reminders import reminders_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(reminders_cli)
    from collab.core.backup import backup_command

    app.cli.add_command(backup_command)

    @app.cli.group("translations")
    def translations_cli():
        """Message catalogues (collab/translations)."""

    @translations_cli.command("update")
    def translations_update_command():
        """Extract the messages, update the id and en catalogues, fill id with the source text,
        compile, and list the English entries still to translate (exit status 1 if any)."""
        from pathlib import Path

        from collab.core.catalogue import update_catalogues

        missing = update_catalogues(Path(app.root_path).parent)
        for msgid in missing["en"]:
            click.echo(f"en: untranslated: {msgid!r}")
        if missing["en"]:
            raise click.ClickException(f"{len(missing['en'])} English entries to translate")
        click.echo("catalogues complete: id, en")

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only seed when there are no users yet.")
    def seed_demo_command(if_empty):
        """Create the demo organisations, accounts and needs (idempotent)."""
        from collab.models import User
        from collab.seed import seed_demo

        if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(User)):
            click.echo("database already has users: demo data not seeded")
            return
        created = seed_demo()
        click.echo("demo data created" if created else "demo data already present: nothing changed")
