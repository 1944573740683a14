"""Program pages through HTTP: every route for every kind of user, an end-to-end walk from a
draft need to a delivered program, constant query counts."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from collab.extensions import db
from collab.models import Need, Program
from tests.conftest import attend_all, enrol
from tests.test_needs_views import form as need_form


def program_form(need_ids, quotas, **over):
    data = {
        "need_ids": [str(i) for i in need_ids],
        "title": "Pelatihan Rekam Medis Elektronik",
        "objectives": "Petugas mampu menjalankan RME.",
        "development_type_id": "3",
        "method": "bauran",
        "fiscal_year": "2027",
        "planned_start": "2027-03-01",
        "planned_end": "2027-03-05",
        "venue": "Aula BKPSDM Kota Pontianak",
        "timezone": "Asia/Pontianak",
        "min_attendance_pct": "80",
        "pass_mark": "70",
        "competencies-0-kind": "teknis",
        "competencies-0-name": "Rekam medis elektronik",
        "competencies-0-target_level": "3",
        "modules-0-title": "Konsep RME",
        "modules-0-jp": "8",
        "modules-1-title": "Praktik SIMPUS",
        "modules-1-jp": "16",
        "budget-0-source": "apbn",
        "budget-0-amount": "45.000.000",
    }
    for i, (org_id, quota) in enumerate(quotas.items()):
        data[f"quotas-{i}-org_id"] = str(org_id)
        data[f"quotas-{i}-quota"] = str(quota)
    data.update(over)
    return data


def version_of(app, program_id):
    with app.app_context():
        p = db.session.get(Program, program_id)
        return {"version": p.version, "revision": p.current_revision}


def post_action(client, app, program_id, action, comment=None, htmx=False):
    data = dict(version_of(app, program_id))
    if comment is not None:
        data["comment"] = comment
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/programs/{program_id}/actions/{action}", data=data, headers=headers)


def test_main_job_from_draft_need_to_delivered_program(world, app, login, make_client, monkeypatch):
    officer, bkpsdm, designer, pejabat = (make_client() for _ in range(4))
    login(officer, world.officer_ptk)
    login(bkpsdm, world.approver_ptk)
    login(designer, world.designer)
    login(pejabat, world.approver_bkn)

    resp = officer.post("/needs/new", data=need_form(world, title="Perawat belum mampu RME"))
    need_id = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    assert officer.post(f"/needs/{need_id}/actions/submit", data={"version": 1}).status_code == 302
    assert bkpsdm.post(f"/needs/{need_id}/actions/verify", data={"version": 2}).status_code == 302
    assert "Perawat belum mampu RME" in designer.get("/dashboard").get_data(as_text=True)
    assert designer.post(f"/needs/{need_id}/actions/take", data={"version": 3}).status_code == 302
    designer.post(
        f"/needs/{need_id}/actions/request_info",
        data={"version": 4, "comment": "Berapa puskesmas?"},
    )
    html = officer.get(f"/needs/{need_id}").get_data(as_text=True)
    assert "Berapa puskesmas?" in html and "Menunggu Pemda" in html
    officer.post(f"/needs/{need_id}/actions/respond", data={"version": 5, "comment": "23."})

    # the designer designs a program from the need
    page = designer.get(f"/programs/new?need={need_id}").get_data(as_text=True)
    assert re.search(rf'checked[^>]*value="{need_id}"|value="{need_id}"[^>]*checked', page)
    resp = designer.post("/programs/new", data=program_form([need_id], {world.ptk.id: 20}))
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    pid = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    with app.app_context():
        assert db.session.get(Need, need_id).status == "accepted"
    assert post_action(designer, app, pid, "propose").status_code == 302
    html = bkpsdm.get("/dashboard").get_data(as_text=True)
    assert "Usulan program menunggu persetujuan Anda" in html and "Pelatihan Rekam Medis" in html

    # Pontianak asks for changes; the designer revises and proposes revision 2
    resp = post_action(bkpsdm, app, pid, "request_changes", comment="", htmx=True)
    assert resp.status_code == 422 and "Catatan wajib diisi." in resp.get_data(as_text=True)
    post_action(bkpsdm, app, pid, "request_changes", comment="Tambah modul praktik lapangan.")
    html = designer.get(f"/programs/{pid}").get_data(as_text=True)
    assert "Perlu Revisi" in html and "Tambah modul praktik lapangan." in html
    edit = designer.get(f"/programs/{pid}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', edit).group(1)
    data = program_form(
        [need_id],
        {world.ptk.id: 20},
        version=version,
        **{"modules-2-title": "Praktik lapangan", "modules-2-jp": "8"},
    )
    assert designer.post(f"/programs/{pid}/edit", data=data).status_code == 302
    assert post_action(designer, app, pid, "propose").status_code == 302
    rev = designer.get(f"/programs/{pid}/revisions/2").get_data(as_text=True)
    assert "Praktik lapangan" in rev and "Total JP" in rev and "32" in rev

    # a decision on revision 1 is refused; both sides approve revision 2
    resp = bkpsdm.post(
        f"/programs/{pid}/actions/approve",
        data={"version": version_of(app, pid)["version"], "revision": 1},
    )
    assert resp.status_code == 409
    assert post_action(bkpsdm, app, pid, "approve").status_code == 302
    html = pejabat.get(f"/programs/{pid}").get_data(as_text=True)
    assert "Menunggu BKN" in html and 'data-action="approve"' in html
    assert post_action(pejabat, app, pid, "approve", htmx=True).status_code == 200
    assert "Disetujui" in designer.get(f"/programs/{pid}").get_data(as_text=True)

    # schedule needs a session
    resp = post_action(designer, app, pid, "schedule", htmx=True)
    assert resp.status_code == 422 and "sekurang-kurangnya satu sesi" in resp.get_data(as_text=True)
    resp = designer.post(
        f"/programs/{pid}/sessions",
        data={
            "starts_at": "2027-03-01T08:00",
            "ends_at": "2027-03-01T07:00",
            "location": "Aula",
            "topic": "Konsep",
            "jp": "8",
        },
    )
    assert resp.status_code == 422 and "Waktu selesai harus setelah waktu mulai." in resp.get_data(
        as_text=True
    )
    resp = designer.post(
        f"/programs/{pid}/sessions",
        data={
            "starts_at": "2027-03-01T08:00",
            "ends_at": "2027-03-01T16:00",
            "location": "Aula",
            "topic": "Konsep RME",
            "jp": "8",
        },
    )
    assert resp.status_code == 302
    html = designer.get(f"/programs/{pid}").get_data(as_text=True)
    assert "1 Maret 2027 08.00–16.00 WIB" in html
    assert post_action(designer, app, pid, "schedule").status_code == 302
    enrol(app, pid, world.ptk, 2)
    assert post_action(designer, app, pid, "start").status_code == 302
    resp = post_action(designer, app, pid, "complete", htmx=True)
    assert resp.status_code == 422 and "belum selesai" in resp.get_data(as_text=True)
    import collab.programs.services as program_services

    later = datetime(2027, 3, 2, tzinfo=UTC)  # the day after the last session
    monkeypatch.setattr(program_services, "utcnow", lambda: later)
    attend_all(app, pid)
    assert post_action(designer, app, pid, "complete").status_code == 302
    html = officer.get(f"/programs/{pid}").get_data(as_text=True)
    assert "Terlaksana" in html
    html = officer.get(f"/needs/{need_id}").get_data(as_text=True)
    assert "Pelatihan Rekam Medis Elektronik" in html


ROUTES = [
    ("GET", "/programs/"),
    ("GET", "/programs/new"),
    ("GET", "/programs/{p}"),
    ("GET", "/programs/{p}/edit"),
    ("GET", "/programs/{p}/revisions/1"),
]


@pytest.mark.parametrize(
    ("who", "expect"),
    [
        (
            "designer",
            {
                "/programs/": 200,
                "/programs/new": 200,
                "/programs/{p}": 200,
                "/programs/{p}/edit": 409,
                "/programs/{p}/revisions/1": 200,
            },
        ),
        (
            "designer2",
            {
                "/programs/": 200,
                "/programs/new": 200,
                "/programs/{p}": 200,
                "/programs/{p}/edit": 403,
                "/programs/{p}/revisions/1": 200,
            },
        ),
        (
            "approver_bkn",
            {
                "/programs/": 200,
                "/programs/new": 403,
                "/programs/{p}": 200,
                "/programs/{p}/edit": 403,
                "/programs/{p}/revisions/1": 200,
            },
        ),
        (
            "approver_ptk",
            {
                "/programs/": 200,
                "/programs/new": 403,
                "/programs/{p}": 200,
                "/programs/{p}/edit": 403,
                "/programs/{p}/revisions/1": 200,
            },
        ),
        (
            "officer_kkr",
            {
                "/programs/": 200,
                "/programs/new": 403,
                "/programs/{p}": 200,
                "/programs/{p}/edit": 403,
                "/programs/{p}/revisions/1": 200,
            },
        ),
        (
            "admin",
            {
                "/programs/": 200,
                "/programs/new": 403,
                "/programs/{p}": 200,
                "/programs/{p}/edit": 403,
                "/programs/{p}/revisions/1": 200,
            },
        ),
        (
            "anonymous",
            {
                "/programs/": 302,
                "/programs/new": 302,
                "/programs/{p}": 302,
                "/programs/{p}/edit": 302,
                "/programs/{p}/revisions/1": 302,
            },
        ),
    ],
)
def test_every_program_page_for_every_user(pworld, app, client, login, who, expect):
    from tests.test_programs import act

    act(app, pworld.designer, pworld.p1, "propose")
    if who != "anonymous":
        login(client, getattr(pworld, who))
    for method, url in ROUTES:
        resp = client.open(url.format(p=pworld.p1), method=method)
        assert resp.status_code == expect[url], (who, url, resp.status_code)


def test_other_pemda_gets_404_for_a_program_it_is_not_in(
    pworld, app, client, login, make_org, make_user
):
    sambas = make_org("Pemerintah Kabupaten Sambas", "pemda", region_code="61.01")
    stranger = make_user("bkpsdm@sambas.test", "pemda_approver", sambas)
    login(client, stranger)
    pid = pworld.p1
    for url in (f"/programs/{pid}", f"/programs/{pid}/edit", f"/programs/{pid}/revisions/1"):
        assert client.get(url).status_code == 404
    assert client.post(f"/programs/{pid}/actions/approve", data={"revision": 0}).status_code == 404
    assert client.post(f"/programs/{pid}/sessions", data={}).status_code == 404
    assert client.post(f"/programs/{pid}/actions/nonsense", data={}).status_code == 404


def test_program_form_errors_keep_values(world, client, login, app):
    ref = world.need("in_review")
    login(client, world.designer)
    data = program_form(
        [ref.id],
        {world.ptk.id: 5},
        title="",
        planned_end="2027-02-01",
        **{"budget-0-amount": "-5", "modules-1-jp": ""},
    )
    resp = client.post("/programs/new", data=data, headers={"HX-Request": "true"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "<html" not in html
    assert "Judul wajib diisi." in html
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in html
    assert "JP wajib diisi." in html
    assert 'value="Aula BKPSDM Kota Pontianak"' in html
    resp = client.post(
        "/programs/new", data=program_form([ref.id], {world.ptk.id: 5}, **{"budget-0-amount": "-5"})
    )
    assert resp.status_code == 422 and "Anggaran tidak boleh negatif." in resp.get_data(
        as_text=True
    )
    resp = client.post("/programs/new", data=program_form(["abc"], {}))
    assert resp.status_code == 422
    resp = client.post("/programs/new", data=program_form([world.n1.id], {}))  # a Pemda draft
    assert resp.status_code == 422 and "Pilihan tidak valid." in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Program).count() == 0


def test_propose_refusal_says_why(pworld, client, login, app):
    login(client, pworld.designer)
    edit = client.get(f"/programs/{pworld.p1}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', edit).group(1)
    data = program_form(
        [pworld.n2.id, pworld.n3.id],
        {pworld.ptk.id: 999},
        version=version,
        venue="",
    )
    resp = client.post(f"/programs/{pworld.p1}/edit", data=data)
    assert resp.status_code == 422 and "melebihi jumlah ASN" in resp.get_data(as_text=True)
    data["quotas-0-quota"] = "5"
    assert client.post(f"/programs/{pworld.p1}/edit", data=data).status_code == 302
    resp = post_action(client, app, pworld.p1, "propose", htmx=True)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Tempat atau tautan daring wajib diisi." in html
    assert "Kuota untuk Pemerintah Kabupaten Kubu Raya belum diisi." in html


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("designer", "/programs/"),
        ("designer", "/programs/?status=draft&pemda={ptk}"),
        ("designer", "/dashboard"),
        ("approver_ptk", "/dashboard"),
        ("approver_bkn", "/dashboard"),
        ("officer_ptk", "/programs/"),
    ],
)
def test_a10_program_lists_and_dashboards_constant_queries(
    world, app, client, login, count_queries, who, url
):
    from tests.test_programs import act, program_data

    def make_programs(n):
        from collab.models import User
        from collab.programs.services import create_program

        refs = [world.need("in_review", title=f"Kebutuhan {i}") for i in range(n)]
        with app.app_context():
            designer = db.session.get(User, world.designer.id)
            ids = []
            for ref in refs:
                p = create_program(designer, program_data([ref.id], {world.ptk.id: 5}))
                db.session.flush()
                ids.append(p.id)
            db.session.commit()
        for pid in ids[: max(1, n // 2)]:
            act(app, world.designer, pid, "propose")

    url = url.format(ptk=world.ptk.id)
    login(client, getattr(world, who))
    make_programs(2)
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    make_programs(8)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert small.count == large.count <= 12, (small.count, large.count)


def _budget_of(app, program_id):
    with app.app_context():
        p = db.session.get(Program, program_id)
        return [b.amount for b in p.budget_lines], p.total_budget


def test_a09_budget_reads_the_ui_locale_grouping_and_shows_rupiah(world, client, login, app):
    need_id = world.need("in_review").id
    login(client, world.designer)
    resp = client.post(
        "/programs/new?lang=id",
        data=program_form([need_id], {world.ptk.id: 20}, **{"budget-0-amount": "1.250.000"}),
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    pid = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    assert _budget_of(app, pid) == ([1_250_000], 1_250_000)
    html = client.get(f"/programs/{pid}?lang=id").get_data(as_text=True)
    assert "Rp1.250.000" in html and "1.250.000,00" not in html
    html = client.get(f"/programs/{pid}?lang=en").get_data(as_text=True)
    assert "IDR 1,250,000" in html and "1,250,000.00" not in html

    # the English UI reads English grouping; the edit form shows the value in the UI locale
    edit = client.get(f"/programs/{pid}/edit?lang=en").get_data(as_text=True)
    assert 'value="1,250,000"' in edit
    version = version_of(app, pid)["version"]
    data = program_form([need_id], {world.ptk.id: 20}, **{"budget-0-amount": "2,500,000"})
    resp = client.post(f"/programs/{pid}/edit?lang=en", data={**data, "version": version})
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    assert _budget_of(app, pid) == ([2_500_000], 2_500_000)


@pytest.mark.parametrize(
    ("lang", "typed"),
    [("id", "12,5"), ("id", "abc"), ("en", "12.5"), ("en", "1.250.000"), ("id", "1,250,000")],
)
def test_a09_budget_refuses_fractions_and_foreign_grouping(world, client, login, app, lang, typed):
    need_id = world.need("in_review").id
    login(client, world.designer)
    resp = client.post(
        f"/programs/new?lang={lang}",
        data=program_form([need_id], {world.ptk.id: 20}, **{"budget-0-amount": typed}),
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'id="budget-0-amount-err"' in html
    assert f'value="{typed}"' in html  # what was typed stays in the field
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Program)) == 0


def test_a09_cleared_budget_is_null_and_shown_as_a_dash(world, client, login, app):
    need_id = world.need("in_review").id
    login(client, world.designer)
    resp = client.post("/programs/new", data=program_form([need_id], {world.ptk.id: 20}))
    pid = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    data = program_form([need_id], {world.ptk.id: 20}, **{"budget-0-amount": ""})
    resp = client.post(
        f"/programs/{pid}/edit", data={**data, "version": version_of(app, pid)["version"]}
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    assert _budget_of(app, pid) == ([], None)
    html = client.get(f"/programs/{pid}").get_data(as_text=True)
    assert re.search(r"Anggaran · (<span[^>]*>)?—", html) and "Rp0" not in html
