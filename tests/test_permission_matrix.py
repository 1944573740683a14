"""The permission matrix (issue 9, item 1): every route × method × actor answers what
``tests/permission_matrix.py`` says, a route without a row (or a row without a route) fails,
and another Pemda's objects are 404 without a word of their content.

One world holds an object of every kind, all Kota Pontianak's; the same signed-in clients go
through every row. POSTs carry an empty body, so an allowed write stops at the version, state
or input rule (409/422) and changes nothing, except where noted: rows that would destroy their
object (deleting a comment, an attachment, a session) get a fresh one per actor, the link
generator runs after the questionnaire rows, and signing out runs last.
"""

from __future__ import annotations

import io
import itertools
from datetime import UTC, datetime
from types import SimpleNamespace
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import url_for

from collab.extensions import db
from collab.models import Need, Notification, Participant, Program, User, utcnow
from tests.conftest import attend_all, enrol
from tests.permission_matrix import ACTORS, ROWS, Row
from tests.test_attendance import add_sessions
from tests.test_programs import act, program_data

SECRET = "ZQX"
"""Marks every text of the Pontianak objects (titles, names, bodies, file names)."""

LAST = ("evaluation.links", "auth.logout")
"""Endpoints run after every other row, in this order (they end what later rows need)."""

FRESH = {"attachments.delete", "comments.delete", "programs.remove_session"}
"""Endpoints whose success destroys the object: each actor gets a fresh one."""

SHOWS_SECRET = {"GET needs.detail", "GET programs.detail", "GET reports.report"}
"""Rows whose page, for the officer, must show the object (a real page, not an empty one)."""

OBJECT_PARAMS = {
    "need_id": "need",
    "program_id": "program",
    "participant_id": "participant",
    "attachment_id": "attachment",
    "comment_id": "comment",
}
"""URL parameters naming an object of the five kinds the object-level check covers."""


# --- the world ----------------------------------------------------------------------------------


def _pdf(name: str) -> bytes:
    from collab.seed import demo_pdf

    return demo_pdf(name)


def attach(app, user_ref, entity: str, entity_id: int) -> int:
    """A PDF attached by ``user_ref`` to a need or program; its id."""
    from collab.attachments.services import Upload, add_attachments

    with app.app_context():
        user = db.session.get(User, user_ref.id)
        parent = db.session.get(Need if entity == "need" else Program, entity_id)
        name = f"{SECRET}-lampiran-{entity}.pdf"
        (row,) = add_attachments(user, parent, [Upload(name, io.BytesIO(_pdf(name)))])
        db.session.commit()
        return row.id


def comment(app, user_ref, entity: str, entity_id: int) -> int:
    """A shared comment by ``user_ref`` on a need or program; its id."""
    from collab.comments.services import add_comment

    with app.app_context():
        user = db.session.get(User, user_ref.id)
        parent = db.session.get(Need if entity == "need" else Program, entity_id)
        row = add_comment(user, parent, f"{SECRET} catatan rahasia Pontianak", "shared")
        db.session.commit()
        return row.id


def internal_comment(app, user_ref, need_id: int) -> tuple[int, int]:
    """A comment internal to the Pemda, with a PDF, on a need; (comment id, attachment id)."""
    from collab.attachments.services import Upload, add_comment_with_attachments
    from collab.models import Attachment

    with app.app_context():
        user = db.session.get(User, user_ref.id)
        name = f"{SECRET}-lampiran-internal.pdf"
        row = add_comment_with_attachments(
            user,
            db.session.get(Need, need_id),
            f"{SECRET} catatan internal Pemda",
            "internal",
            [Upload(name, io.BytesIO(_pdf(name)))],
        )
        db.session.commit()
        att = db.session.scalar(
            sa.select(Attachment.id).where(
                Attachment.entity_type == "comment", Attachment.entity_id == row.id
            )
        )
        return row.id, att


def new_program(app, w, title: str) -> int:
    """A draft program by the designer serving one new Pontianak need only."""
    from collab.programs.services import create_program

    need = w.need("in_review", title=f"{SECRET} usulan untuk {title}")
    with app.app_context():
        designer = db.session.get(User, w.designer.id)
        p = create_program(
            designer, program_data([need.id], {w.ptk.id: 20}, title=f"{SECRET} {title}")
        )
        db.session.commit()
        return p.id


def in_delivery(app, w, pid: int) -> tuple[int, int]:
    """Approve, schedule and start ``pid`` with one session and one enrolled participant;
    returns (session id, participant id)."""
    act(app, w.designer, pid, "propose")
    act(app, w.approver_bkn, pid, "approve")
    act(app, w.approver_ptk, pid, "approve")
    (session,) = add_sessions(app, w, pid, [(2027, 3, 1)])
    act(app, w.designer, pid, "schedule")
    (participant,) = enrol(app, pid, w.ptk, 1, name=f"{SECRET} Peserta Pontianak")
    act(app, w.designer, pid, "start")
    return session, participant


def build(app, w, monkeypatch) -> SimpleNamespace:
    """Every kind of object, all Kota Pontianak's (see the note above ``TABLE``)."""
    import collab.programs.services as program_services
    from collab.evaluation.services import generate_links

    c = SimpleNamespace(w=w)
    c.need = w.need("in_review", title=f"{SECRET} usulan Pontianak ditelaah").id
    c.draft = w.need("draft", title=f"{SECRET} draf usulan Pontianak").id

    c.p_draft = new_program(app, w, "program draf")
    c.p_cr = new_program(app, w, "program perlu revisi")
    act(app, w.designer, c.p_cr, "propose")
    act(app, w.approver_ptk, c.p_cr, "request_changes", comment=f"{SECRET} ubah modul")

    c.p_run = new_program(app, w, "program berlangsung")
    c.session, c.participant = in_delivery(app, w, c.p_run)
    with app.app_context():  # a nomination waiting for the designer's confirmation
        db.session.add(
            Participant(
                program_id=c.p_run,
                pemda_id=w.ptk.id,
                nip="199001012015011001",
                name=f"{SECRET} Calon Peserta",
                jabatan="Perawat",
                unit="Puskesmas",
                status="nominated",
                nominated_by_id=w.officer_ptk.id,
            )
        )
        db.session.commit()

    c.p_done = new_program(app, w, "program terlaksana")
    _, c.passed = in_delivery(app, w, c.p_done)
    attend_all(app, c.p_done)
    with app.app_context():
        p = db.session.get(Participant, c.passed)
        p.pre_score, p.post_score = 50, 90
        db.session.commit()
    monkeypatch.setattr(program_services, "utcnow", lambda: datetime(2030, 1, 1, tzinfo=UTC))
    act(app, w.designer, c.p_done, "complete")
    monkeypatch.undo()
    with app.app_context():
        assert db.session.get(Program, c.p_done).status == "delivered"
        assert db.session.get(Participant, c.passed).passed is True
        links = generate_links(
            db.session.get(User, w.designer.id), db.session.get(Program, c.p_done)
        )
        db.session.commit()
        c.token = links[0].token

    c.att_need = attach(app, w.officer_ptk, "need", c.need)
    c.att_program = attach(app, w.designer, "program", c.p_run)
    c.com_need = comment(app, w.officer_ptk, "need", c.need)
    c.com_program = comment(app, w.designer, "program", c.p_run)
    c.com_internal, c.att_internal = internal_comment(app, w.officer_ptk, c.need)
    with app.app_context():
        note = Notification(
            recipient_id=w.officer_ptk.id,
            kind="transition",
            event="need.take",
            entity_type="need",
            entity_id=c.need,
            actor_id=w.designer.id,
            params={"title": f"{SECRET} usulan", "state": "in_review"},
            created_at=utcnow(),
        )
        db.session.add(note)
        db.session.commit()
        c.note = note.id
    return c


def fresh_session(app, w, pid: int) -> int:
    """A new session on ``pid`` (a program whose sessions may still change)."""
    n = next(_SLOTS)
    return add_sessions(app, w, pid, [(2027, 3, 2 + n // 4 % 4)], hour=8 + 2 * (n % 4))[0]


_SLOTS = itertools.count()


def params(row: Row, c: SimpleNamespace, app) -> dict:
    """The URL parameters of ``row`` in world ``c`` (fresh objects for :data:`FRESH`)."""
    out = _params(row, c, app)
    if row.endpoint.endswith(".export"):
        out["fmt"] = "csv"
    return out


def _params(row: Row, c: SimpleNamespace, app) -> dict:
    w, v, ep = c.w, row.variant, row.endpoint
    if ep == "admin.organization":
        return {"org_id": w.dinkes_ptk.id} if v == "id" else {}
    if ep == "admin.user":
        return {"user_id": w.officer_ptk.id} if v == "id" else {}
    if ep in ("notifications.open_item", "notifications.read"):
        return {"note_id": c.note}
    if ep.startswith("needs.") and ep not in ("needs.index", "needs.export", "needs.create"):
        out = {"need_id": c.draft if v == "draft" else c.need}
        if ep == "needs.transition":
            out["action"] = v
        return out
    if ep in ("comments.post_need", "attachments.need"):
        return {"need_id": c.need}
    if ep in ("comments.post_program", "attachments.program"):
        return {"program_id": c.p_run}
    if ep == "comments.edit":
        return {
            "comment_id": {"need": c.com_need, "internal": c.com_internal}.get(v, c.com_program)
        }
    if ep == "comments.delete":
        return {"comment_id": comment(app, *_author(c, v))}
    if ep == "attachments.download":
        return {"attachment_id": getattr(c, f"att_{v}")}
    if ep == "attachments.delete":
        return {"attachment_id": attach(app, *_author(c, v))}
    if ep == "evaluation.respond":
        return {"token": "x" * 43 if v == "unknown" else c.token}
    if ep in ("programs.index", "programs.export", "programs.create"):
        return {}
    if ep == "programs.detail" and v == "draft":
        return {"program_id": c.p_draft}
    if ep in ("programs.edit", "programs.add_session"):
        return {"program_id": c.p_cr}
    if ep == "programs.remove_session":
        return {"program_id": c.p_cr, "session_id": fresh_session(app, w, c.p_cr)}
    if ep == "programs.revision":
        return {"program_id": c.p_run, "number": 1}
    if ep == "programs.transition":
        return {"program_id": c.p_run, "action": v}
    if ep.startswith(("evaluation.", "reports.")):
        out = {"program_id": c.p_done}
        if ep == "reports.certificate":
            out["participant_id"] = c.passed
        return out
    if ep.startswith(("programs.", "participants.", "attendance.", "comments.", "attachments.")):
        out = {"program_id": c.p_run}
        if ep.startswith("participants.") and ep.endswith(("withdraw", "enrol_one")):
            out["participant_id"] = c.participant
        if ep.startswith("attendance.") and ep in (
            "attendance.set_cell",
            "attendance.save_column",
            "attendance.all_present",
        ):
            out["session_id"] = c.session
        if ep in ("attendance.set_cell", "attendance.set_scores"):
            out["participant_id"] = c.participant
        return out
    return {}


def _author(c, variant: str):
    """(author, entity, id) of the need's or the program's fresh comment or attachment."""
    if variant == "need":
        return c.w.officer_ptk, "need", c.need
    return c.w.designer, "program", c.p_run


def build_url(app, row: Row, c) -> tuple[str, dict]:
    """``row``'s URL in world ``c`` and its parameters."""
    values = params(row, c, app)
    with app.test_request_context():
        return url_for(row.endpoint, **values), values


# --- sending and classifying --------------------------------------------------------------------


def outcome(resp, method: str) -> str:
    """The code of a response (see ``permission_matrix.CODES``); ``?<status>`` if none fits."""
    status = resp.status_code
    location = urlsplit(resp.headers.get("Location", "")).path
    hx_redirect = urlsplit(resp.headers.get("HX-Redirect", "")).path
    if status in (301, 302, 303, 307, 308) and location == "/login":
        return "L"
    if status in (204, 401) and hx_redirect == "/login":
        return "L"
    if status == 403:
        return "F"
    if status == 404:
        return "N"
    if 200 <= status < 400 or (method == "POST" and status in (409, 422)):
        return "+"
    return f"?{status}"


def send(client, row: Row, url: str):
    """The request of ``row``: GET as is, POST with an empty body; htmx when the row says."""
    headers = {"HX-Request": "true"} if row.htmx else {}
    if row.method == "GET":
        return client.get(url, headers=headers)
    return client.post(url, data={}, headers=headers)


def clients(app, w, login) -> dict[str, list[tuple[str, object]]]:
    """Signed-in test clients per actor ("other" has two: Kubu Raya's officer and approver)."""
    users = {
        "officer": [w.officer_ptk],
        "bkpsdm": [w.approver_ptk],
        "designer": [w.designer],
        "bkn_approver": [w.approver_bkn],
        "admin": [w.admin],
        "other": [w.officer_kkr, w.approver_kkr],
    }
    out = {"anonymous": [("anonymous", app.test_client())]}
    for actor, refs in users.items():
        out[actor] = []
        for ref in refs:
            client = app.test_client()
            login(client, ref)
            out[actor].append((ref.label, client))
    return out


def ordered(rows: list[Row]) -> list[Row]:
    """Rows in the order they run: everything, then :data:`LAST` in its order."""
    rank = {ep: i + 1 for i, ep in enumerate(LAST)}
    return sorted(rows, key=lambda r: rank.get(r.endpoint, 0))


# --- the tests ------------------------------------------------------------------------------------


def _routes(app) -> dict[tuple[str, str], set[str]]:
    """``(endpoint, method)`` → the rules that serve it (static and HEAD/OPTIONS left out)."""
    out: dict[tuple[str, str], set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            out.setdefault((rule.endpoint, method), set()).add(rule.rule)
    return out


def test_every_route_has_a_row_and_every_row_a_route(app):
    """A new route without a row, or a row whose route is gone, fails here by name; so does a
    workflow action without a transition row."""
    from collab.needs.services import NEED_ACTIONS
    from collab.programs.services import PROGRAM_ACTIONS

    routes = _routes(app)
    have = {(r.endpoint, r.method) for r in ROWS}
    missing = sorted(f"{m} {ep} {sorted(routes[(ep, m)])}" for ep, m in set(routes) - have)
    stale = sorted(f"{m} {ep}" for ep, m in have - set(routes))
    actions = {
        "needs.transition": NEED_ACTIONS,
        "programs.transition": PROGRAM_ACTIONS,
    }
    for ep, names in actions.items():
        rows = {r.variant for r in ROWS if r.endpoint == ep}
        missing += [f"POST {ep}[{a}]" for a in sorted(set(names) - rows)]
    assert not missing, "routes without a row in tests/permission_matrix.py: " + ", ".join(missing)
    assert not stale, "rows in tests/permission_matrix.py without a route: " + ", ".join(stale)


def test_permission_matrix(app, world, login, monkeypatch):
    """Every row × actor gets its code; all mismatches are reported together. Every rule of
    the URL map is reached by some row, and the Kubu Raya users never see a Pontianak text."""
    c = build(app, world, monkeypatch)
    by_actor = clients(app, world, login)
    mismatches, reached = [], set()
    adapter = app.url_map.bind("localhost")
    for row in ordered(ROWS):
        for actor in ACTORS:
            for who, client in by_actor[actor]:
                url, _ = build_url(app, row, c)
                reached.add(adapter.match(url, method=row.method, return_rule=True)[0].rule)
                resp = send(client, row, url)
                got = outcome(resp, row.method)
                want = row.code(actor)
                if want == "*":
                    after = outcome(client.get("/dashboard"), "GET")
                    got = "*" if (got == "L" and after == "L") else f"{got}/then {after}"
                if got != want:
                    mismatches.append(f"{row.key} {url} as {actor} ({who}): want {want}, got {got}")
                body = resp.get_data()
                resp.close()
                if actor == "officer" and row.key in SHOWS_SECRET and SECRET.encode() not in body:
                    mismatches.append(f"{row.key} {url} as {who}: the page lacks the object")
                if (
                    actor == "other"
                    and row.endpoint != "evaluation.respond"
                    and SECRET.encode() in body
                ):
                    mismatches.append(f"{row.key} {url} as {who}: shows a Pontianak text")
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint != "static"}
    unreached = sorted(rules - reached)
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches)
    assert not unreached, f"rules no row reaches: {unreached}"


def test_another_pemdas_objects_are_404_without_their_titles(app, world, login, monkeypatch):
    """Issue 9: the ids of another Pemda's needs, programs, participants, attachments and
    comments are 404 on every URL that names them (GET and POST), never 403 or 200, and the
    answer does not carry the object's title, name or text."""
    c = build(app, world, monkeypatch)
    kubu_raya = [u for _, u in clients(app, world, login)["other"]]
    problems, kinds = [], set()
    for row in ordered(ROWS):
        if row.endpoint in LAST or row.endpoint == "evaluation.respond":
            continue
        url, values = build_url(app, row, c)
        named = {OBJECT_PARAMS[k] for k in values if k in OBJECT_PARAMS}
        if not named:
            continue
        kinds |= named
        for client in kubu_raya:
            resp = send(client, row, url)
            body = resp.get_data(as_text=True)
            if resp.status_code != 404 or SECRET in body:
                problems.append(
                    f"{row.key} {url}: {resp.status_code}, title shown={SECRET in body}"
                )
    assert kinds == set(OBJECT_PARAMS.values())
    assert not problems, "\n".join(problems)
