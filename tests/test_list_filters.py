"""Search and filters on the needs and programs lists: every filter narrows what the viewer
may see, lives in the URL, and costs the same number of SQL statements."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from collab.extensions import db
from collab.models import Need, Program, User, utcnow


def need_titles(client, **query):
    html = client.get("/needs/", query_string=query).get_data(as_text=True)
    return set(re.findall(r'<a href="/needs/\d+">([^<]+)</a>', html))


def program_titles(client, **query):
    html = client.get("/programs/", query_string=query).get_data(as_text=True)
    return set(re.findall(r'<a href="/programs/\d+">([^<]+)</a>', html))


@pytest.fixture
def fworld(pworld, make_org, make_user, make_need):
    """pworld plus a Surabaya (Jawa Timur, 35.78) need and a Pontianak need on teachers."""
    w = pworld
    w.sby = make_org(
        "Pemerintah Kota Surabaya", "pemda", region_code="35.78", timezone="Asia/Jakarta"
    )
    w.officer_sby = make_user("officer@sby.test", "pemda_officer", w.sby, "Dewi Surabaya")
    w.approver_sby = make_user("approver@sby.test", "pemda_approver", w.sby, "Bayu BKPSDM")
    w.n_sby = make_need(
        w.officer_sby,
        "submitted",
        approver=w.approver_sby,
        title="Guru Surabaya",
        problem_statement="Guru belum memakai platform merdeka mengajar.",
    )
    w.n_edu = w.need(
        "submitted",
        title="Guru Pontianak",
        urusan_code="1.01",
        problem_statement="Pengawas sekolah belum memakai aplikasi e-rapor.",
    )
    return w


def test_needs_search_covers_the_problem_statement(fworld, client, login):
    login(client, fworld.designer)
    assert need_titles(client, q="E-RAPOR") == {"Guru Pontianak"}
    assert need_titles(client, q="guru") == {"Guru Pontianak", "Guru Surabaya"}


def test_needs_filter_by_province_designer_year_and_overdue(fworld, client, login, app):
    login(client, fworld.designer)
    assert "Guru Surabaya" not in need_titles(client, province="61")
    assert need_titles(client, province="35") == {"Guru Surabaya"}
    assert need_titles(client, province="99") >= {"Guru Surabaya", "Guru Pontianak"}  # unknown
    served = {"RME Puskesmas Pontianak", "RME Puskesmas Kubu Raya"}  # both taken into P1
    assert need_titles(client, designer=fworld.designer.id) == served
    assert need_titles(client, designer=fworld.designer2.id) == set()
    assert need_titles(client, fiscal_year=2031) == set()
    with app.app_context():
        need = db.session.get(Need, fworld.n_edu.id)
        need.sla_due_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    assert need_titles(client, overdue="1") == {"Guru Pontianak"}
    page = client.get("/needs/?overdue=1&province=61").get_data(as_text=True)
    assert 'id="f-overdue" name="overdue" value="1" checked' in page
    assert '<option value="61" selected>' in page


def test_pemda_users_get_no_province_or_designer_filter_and_see_only_their_own(
    fworld, client, login
):
    login(client, fworld.officer_kkr)
    page = client.get("/needs/").get_data(as_text=True)
    assert 'id="f-province"' not in page and 'id="f-designer"' not in page
    assert need_titles(client, q="guru") == set()
    assert need_titles(client, province="35") <= {"RME Puskesmas Kubu Raya"}


def test_programs_filter_by_urusan_province_search_and_overdue(fworld, client, login, app):
    login(client, fworld.designer)
    assert program_titles(client, urusan="1.02")
    assert program_titles(client, urusan="1.01") == set()
    assert program_titles(client, province="35") == set()
    assert program_titles(client, province="61")
    assert program_titles(client, q="SATUSEHAT")  # in the objectives
    assert program_titles(client, overdue="1") == set()
    with app.app_context():
        p = db.session.get(Program, fworld.p1)
        p.status, p.signoff_due_at = "proposed", utcnow() - timedelta(minutes=5)
        db.session.commit()
    assert program_titles(client, overdue="1")


def test_programs_search_is_literal_and_case_insensitive(fworld, client, login, app):
    from collab.programs.services import create_program
    from tests.test_programs import program_data

    titles = ["Pelatihan Guru PONTIANAK", "Diskon 50% Pelatihan", "Rencana_2026"]
    with app.app_context():
        designer = db.session.get(User, fworld.designer.id)
        for t in titles:
            create_program(designer, program_data([fworld.n2.id], {fworld.ptk.id: 5}, title=t))
        db.session.commit()
    login(client, fworld.designer)
    assert program_titles(client, q="pontianak") == {"Pelatihan Guru PONTIANAK"}
    assert program_titles(client, q="50%") == {"Diskon 50% Pelatihan"}
    assert program_titles(client, q="_") == {"Rencana_2026"}


@pytest.mark.parametrize(
    "url",
    [
        "/needs/?q=guru&province=61&overdue=1&designer=1&fiscal_year=2027&urgency=high",
        "/programs/?q=rme&province=61&urusan=1.02&overdue=1&fiscal_year=2027&designer=1",
    ],
)
def test_filtered_lists_cost_the_same_statements_at_any_size(
    world, client, login, app, count_queries, url
):
    login(client, world.designer)

    def measure():
        with count_queries() as qc:
            assert client.get(url).status_code == 200
        return qc.count

    first = measure()
    for i in range(12):
        world.need("submitted", title=f"Guru {i}")
    assert measure() == first <= 12


@pytest.mark.parametrize(
    "column",
    [
        "need.status",
        "need.urgency",
        "need.urusan_code",
        "need.pemda_id",
        "need.fiscal_year",
        "need.assigned_designer_id",
        "need.sla_due_at",
        "need.submitted_at",
        "program.status",
        "program.fiscal_year",
        "program.owner_id",
        "program.signoff_due_at",
        "program_need.need_id",
        "program_need.program_id",
        "organization.region_code",
        "participant.program_id",
        "audit_event.entity_id",
    ],
)
def test_every_filter_column_is_indexed(column):
    """Each list, board and report filter can use an index (the schema the migrations build:
    tests/test_acceptance.py A13 checks they agree with the models)."""
    from collab.extensions import db as _db

    table_name, col = column.split(".")
    table = _db.metadata.tables[table_name]
    indexed = {c.name for ix in table.indexes for c in ix.columns}
    indexed |= {c.name for c in table.primary_key.columns}
    assert col in indexed, column
