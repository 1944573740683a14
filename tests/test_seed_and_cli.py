"""Demo data and command-line tools."""

from __future__ import annotations

import sqlalchemy as sa

from collab.extensions import db
from collab.models import AuditEvent, Need, Organization, User

DEMO_ACCOUNTS = {
    "admin@sinergi.test": "admin",
    "perancang@bkn.sinergi.test": "bkn_designer",
    "pejabat@bkn.sinergi.test": "bkn_approver",
    "dinkes@pontianak.sinergi.test": "pemda_officer",
    "bkpsdm@pontianak.sinergi.test": "pemda_approver",
    "dinkes@kuburaya.sinergi.test": "pemda_officer",
    "bkpsdm@kuburaya.sinergi.test": "pemda_approver",
    **{
        f"{prefix}@{slug}.sinergi.test": role
        for slug in ("sambas", "mempawah", "sanggau", "ketapang", "singkawang")
        for prefix, role in (("bkpsdm", "pemda_approver"), ("dinkes", "pemda_officer"))
    },
}


def _counts():
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Organization, User, Need, AuditEvent)
    )


def test_seed_demo_is_idempotent_and_covers_states(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "demo data created" in result.output
    first = _counts()
    result = runner.invoke(args=["seed-demo"])
    assert "nothing changed" in result.output
    assert _counts() == first
    roles = dict(db.session.execute(sa.select(User.email, User.role)).all())
    for email, role in DEMO_ACCOUNTS.items():
        assert roles[email] == role
    statuses = set(db.session.scalars(sa.select(Need.status)))
    assert {
        "draft",
        "verifying",
        "submitted",
        "in_review",
        "info_requested",
        "declined",
        "withdrawn",
    } <= statuses
    assert 40 <= first[2] <= 60  # a few dozen needs over three fiscal years
    years = set(db.session.scalars(sa.select(Need.fiscal_year)))
    assert len(years) >= 3, years
    from collab.models import Program

    program_states = set(db.session.scalars(sa.select(Program.status)))
    assert program_states == {
        "draft",
        "proposed",
        "changes_requested",
        "approved",
        "rejected",
        "scheduled",
        "in_delivery",
        "delivered",
        "evaluated",
        "cancelled",
    }
    assert {"accepted", "fulfilled"} <= statuses
    both = [p for p in db.session.scalars(sa.select(Program)) if len(p.partner_ids) == 2]
    assert both, "a program serving both Kota Pontianak and Kubu Raya"
    assert any(p.current_revision >= 2 for p in db.session.scalars(sa.select(Program)))
    names = set(db.session.scalars(sa.select(Organization.name)))
    for name in [
        "BKN Pusat",
        "Kantor Regional V BKN",
        "UPT BKN Pontianak",
        "Pemerintah Kota Pontianak",
        "BKPSDM Kota Pontianak",
        "Dinas Kesehatan Kota Pontianak",
        "Dinas Pendidikan dan Kebudayaan Kota Pontianak",
        "Dinas Komunikasi dan Informatika Kota Pontianak",
        "Pemerintah Kabupaten Kubu Raya",
        "Dinas Kesehatan Kabupaten Kubu Raya",
        "Pemerintah Kabupaten Sambas",
        "Pemerintah Kota Singkawang",
    ]:
        assert name in names


def test_seed_if_empty_skips_a_used_database(world, app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert "not seeded" in result.output


def test_demo_login_works(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    resp = client.post(
        "/login", data={"email": "dinkes@pontianak.sinergi.test", "password": "demo-sinergi-2026"}
    )
    assert resp.status_code == 302
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Dinas Kesehatan Kota Pontianak" in html


def test_users_create_command(world, app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "baru@ptk.test",
            "--name",
            "Pegawai Baru",
            "--role",
            "pemda_officer",
            "--org",
            str(world.dinkes_ptk.id),
            "--password",
            "kata-sandi-panjang-1",
        ]
    )
    assert result.exit_code == 0, result.output
    resp = client.post(
        "/login", data={"email": "baru@ptk.test", "password": "kata-sandi-panjang-1"}
    )
    assert resp.status_code == 302
    # by region code, and refusing a short password and a BKN role in a Pemda
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "x@ptk.test",
            "--name",
            "X",
            "--role",
            "bkn_designer",
            "--org",
            "61.71",
            "--password",
            "pendek",
        ]
    )
    assert result.exit_code != 0
    assert "Peran BKN" in result.output and "12 karakter" in result.output
