"""Notifications (issue 5 item 3): who hears of what, the inbox, e-mail through the outbox,
preferences, mentions, and A11 (a notification sent after the request names its program and
designer)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from collab.extensions import db
from collab.models import Comment, EmailOutbox, Need, Notification, User, utcnow
from collab.notifications import outbox, rules
from collab.notifications.services import set_email_preferences
from collab.workflow.needs import NEED_TRANSITIONS
from collab.workflow.programs import PROGRAM_TRANSITIONS
from tests.conftest import csrf_from
from tests.test_programs import act


def notes(app, user_ref, event=None):
    with app.app_context():
        stmt = sa.select(Notification).where(Notification.recipient_id == user_ref.id)
        if event:
            stmt = stmt.where(Notification.event == event)
        return [(n.event, n.entity_id, dict(n.params)) for n in db.session.scalars(stmt)]


def mails(app, to=None):
    with app.app_context():
        stmt = sa.select(EmailOutbox).order_by(EmailOutbox.id)
        if to:
            stmt = stmt.where(EmailOutbox.to_address == to)
        return [(m.to_address, m.subject, m.body_text, m.status) for m in db.session.scalars(stmt)]


def need_act(app, user_ref, need_id, action, comment=None):
    from collab.needs.services import transition_need

    with app.app_context():
        need = db.session.get(Need, need_id)
        transition_need(
            db.session.get(User, user_ref.id),
            need,
            action,
            expected_version=need.version,
            comment=comment,
        )
        db.session.commit()


def test_every_workflow_action_has_a_rule():
    actions = {f"need.{t.action}" for t in NEED_TRANSITIONS} | {
        f"program.{t.action}" for t in PROGRAM_TRANSITIONS
    }
    assert actions - set(rules.RULES) == set()
    assert {r.kind for r in rules.RULES.values()} <= set(rules.KINDS)


def test_officer_submit_reaches_bkpsdm_only_and_verify_reaches_bkn(world, app):
    need_act(app, world.officer_ptk, world.n1.id, "submit")
    assert [e for e, *_ in notes(app, world.approver_ptk)] == ["need.submit"]
    assert notes(app, world.designer) == []  # not sent to BKN yet: BKN may not see it
    assert notes(app, world.officer_ptk) == []  # the actor hears nothing of their own act
    assert notes(app, world.approver_kkr) == []  # another Pemda
    need_act(app, world.approver_ptk, world.n1.id, "verify")
    for who in (world.designer, world.designer2, world.officer_ptk):
        assert [e for e, *_ in notes(app, who)] == ["need.verify"] or who is world.officer_ptk
    assert [e for e, *_ in notes(app, world.officer_ptk)] == ["need.verify"]
    subject = mails(app, "designer@bkn.test")[0][1]
    assert "Budi BKPSDM" in subject and "Petugas puskesmas" in subject


def test_e_mail_in_recipients_language(world, app):
    with app.app_context():
        db.session.get(User, world.designer.id).locale = "en"
        db.session.commit()
    need_act(app, world.approver_ptk, world.n1.id, "submit")
    ((_, subject_en, body_en, _),) = mails(app, "designer@bkn.test")
    ((_, subject_id, body_id, _),) = mails(app, "designer2@bkn.test")
    assert "submitted" in subject_en and "Dear Rina Perancang" in body_en
    assert "mengajukan" in subject_id and "Yth. Sari Perancang" in body_id
    assert f"http://localhost:5000/needs/{world.n1.id}" in body_en


def test_a04_one_notification_per_recipient(world, client, login, app):
    """A04: a double submit notifies each recipient once (approver_ptk is both the Pemda's
    approver and, as actor, excluded; the creator is in two groups)."""
    login(client, world.approver_ptk)
    url = f"/needs/{world.n1.id}/actions/submit"
    client.post(url, data={"version": 1}, headers={"HX-Request": "true"})
    client.post(url, data={"version": 1}, headers={"HX-Request": "true"})
    with app.app_context():
        rows = db.session.execute(
            sa.select(Notification.recipient_id, sa.func.count())
            .where(Notification.entity_id == world.n1.id, Notification.event == "need.submit")
            .group_by(Notification.recipient_id)
        ).all()
    counts = dict(rows)
    assert counts == {world.officer_ptk.id: 1, world.designer.id: 1, world.designer2.id: 1}


def test_a11_approval_notification_names_program_and_designer_after_request(pworld, app, caplog):
    """A11: the notification sent when P1 is approved names P1 and the designer, also when
    the e-mail goes out after the request ended; nothing is logged as an exception."""
    act(app, pworld.designer, pworld.p1, "propose")
    act(app, pworld.approver_bkn, pworld.p1, "approve")
    act(app, pworld.approver_ptk, pworld.p1, "approve")
    act(app, pworld.approver_kkr, pworld.p1, "approve")
    ((event, pid, params),) = notes(app, pworld.designer, "program.approved")
    assert pid == pworld.p1 and params["title"].startswith("Pelatihan Rekam Medis")
    caplog.set_level(logging.WARNING)
    with app.app_context():  # a new context, as `flask outbox send` would have
        report = outbox.send_due()
        sent = app.extensions["mailman"].outbox
        assert report.sent >= 1 and report.retrying == report.failed == 0
        to_designer = [m for m in sent if m.to == ["designer@bkn.test"]]
        approved = [m for m in to_designer if "disetujui BKN dan Pemda" in m.subject]
        assert len(approved) == 1
        assert "Pelatihan Rekam Medis Elektronik" in approved[0].subject
        assert "Eko BKPSDM KKR" in approved[0].body and "Rina Perancang" in approved[0].body
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_outbox_retries_with_back_off_and_never_sends_twice(world, app, monkeypatch):
    need_act(app, world.approver_ptk, world.n1.id, "submit")
    with app.app_context():
        queued = db.session.scalar(sa.select(sa.func.count(EmailOutbox.id)))
    assert queued == 3  # officer, designer, designer2

    def down(self, *a, **kw):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("flask_mailman.EmailMessage.send", down)
    now = utcnow()
    with app.app_context():
        report = outbox.send_due(now=now)
        assert (report.sent, report.retrying) == (0, 3)
        row = db.session.scalar(sa.select(EmailOutbox).order_by(EmailOutbox.id))
        assert row.status == "pending" and row.attempts == 1 and "SMTP down" in row.last_error
        assert row.next_attempt_at == now + timedelta(minutes=1)
        assert outbox.send_due(now=now + timedelta(seconds=30)).retrying == 0  # backing off
    monkeypatch.undo()
    with app.app_context():
        report = outbox.send_due(now=now + timedelta(minutes=2))
        assert report.sent == 3
        assert outbox.send_due(now=now + timedelta(hours=1)).sent == 0
        assert len(app.extensions["mailman"].outbox) == 3
        assert {m.status for m in db.session.scalars(sa.select(EmailOutbox))} == {"sent"}


def test_outbox_gives_up_after_max_attempts(world, app, monkeypatch):
    need_act(app, world.officer_ptk, world.n1.id, "submit")
    monkeypatch.setattr(
        "flask_mailman.EmailMessage.send",
        lambda self, *a, **kw: (_ for _ in ()).throw(OSError("unreachable")),
    )
    t = utcnow()
    with app.app_context():
        for _ in range(EmailOutbox.MAX_ATTEMPTS):
            outbox.send_due(now=t)
            t += timedelta(hours=7)
        row = db.session.scalar(sa.select(EmailOutbox))
        assert row.status == "failed" and row.attempts == EmailOutbox.MAX_ATTEMPTS


def test_stale_claim_is_retried_but_fresh_claim_is_not(world, app):
    need_act(app, world.officer_ptk, world.n1.id, "submit")
    now = utcnow()
    with app.app_context():
        row = db.session.scalar(sa.select(EmailOutbox))
        row.status, row.claimed_at = "sending", now  # another sender is on it
        db.session.commit()
        assert outbox.send_due(now=now + timedelta(minutes=1)).sent == 0
        assert outbox.send_due(now=now + outbox.LEASE + timedelta(minutes=1)).sent == 1


@pytest.fixture
def smtp_down(app_config):
    app_config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=2)


def test_smtp_down_action_still_succeeds(smtp_down, world, client, login, app):
    login(client, world.officer_ptk)
    resp = client.post(f"/needs/{world.n1.id}/actions/submit", data={"version": 1})
    assert resp.status_code in (200, 302)
    with app.app_context():
        assert db.session.get(Need, world.n1.id).status == "verifying"
        report = outbox.send_due()
        assert report.retrying == 1 and report.sent == 0
        assert db.session.scalar(sa.select(EmailOutbox.status)) == "pending"


def test_e_mail_preferences_but_decisions_on_own_items_always_arrive(world, app):
    with app.app_context():
        officer = db.session.get(User, world.officer_ptk.id)
        set_email_preferences(officer, {"comment": False})  # everything else off too
        db.session.commit()
    need_act(app, world.officer_ptk, world.n1.id, "submit")
    need_act(app, world.approver_ptk, world.n1.id, "return", comment="Lengkapi data.")
    assert [e for e, *_ in notes(app, world.officer_ptk)] == ["need.return"]
    assert len(mails(app, "officer@ptk.test")) == 1  # own item's decision: not mutable
    from collab.comments.services import add_comment

    with app.app_context():
        need = db.session.get(Need, world.n1.id)
        add_comment(db.session.get(User, world.approver_ptk.id), need, "Sudah dilengkapi?")
        db.session.commit()
    assert [e for e, *_ in notes(app, world.officer_ptk)] == ["need.return", "comment"]
    assert len(mails(app, "officer@ptk.test")) == 1  # comment e-mail switched off


def test_settings_page_stores_choices(world, client, login, app):
    login(client, world.designer)
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert page.count('type="checkbox"') == 5 and page.count("checked") == 5
    resp = client.post("/notifications/settings", data={"transition": "y", "mention": "y"})
    assert resp.status_code == 302
    with app.app_context():
        prefs = db.session.get(User, world.designer.id).preferences["email"]
    assert prefs == {
        "transition": True,
        "sign_off": False,
        "comment": False,
        "mention": True,
        "sla": False,
    }
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Pengaturan e-mail pemberitahuan disimpan." in page and page.count("checked") == 2


def test_internal_comment_and_mentions(world, app):
    from collab.comments.services import add_comment

    n = world.need("in_review")
    with app.app_context():
        need = db.session.get(Need, n.id)
        designer = db.session.get(User, world.designer.id)
        add_comment(
            designer, need, "Catatan internal untuk @budi bkpsdm dan @Sari Perancang.", "internal"
        )
        db.session.commit()
    assert notes(app, world.approver_ptk, "mention") == []  # other side cannot read it
    assert notes(app, world.officer_ptk, "comment") == []
    ((event, _, params),) = notes(app, world.designer2, "mention")
    assert "Catatan internal" in params["comment"]
    assert notes(app, world.designer2, "comment") == []  # one notification, the mention
    with app.app_context():
        need = db.session.get(Need, n.id)
        designer = db.session.get(User, world.designer.id)
        add_comment(designer, need, "Mohon @Budi BKPSDM cek; @Ani Officer **juga**.", "shared")
        db.session.commit()
    ((_, _, mention),) = notes(app, world.approver_ptk, "mention")
    assert mention["comment"] == "Mohon @Budi BKPSDM cek; @Ani Officer juga."  # plain text
    assert len(notes(app, world.officer_ptk, "mention")) == 1
    assert notes(app, world.officer_kkr) == []


def test_transition_comment_joins_the_thread(world, client, login, app):
    n = world.need("in_review")
    need_act(app, world.designer, n.id, "request_info", comment="Berapa puskesmas terdampak?")
    login(client, world.officer_ptk)
    page = client.get(f"/needs/{n.id}").get_data(as_text=True)
    thread = page[page.index('id="comments-panel"') :]
    assert "Berapa puskesmas terdampak?" in thread and "Minta Informasi" in thread
    # After a decision htmx refreshes the thread alone (the form being typed in stays).
    assert 'hx-trigger="need-changed from:body' in thread
    part = client.get(f"/needs/{n.id}/comments?part=list", headers={"HX-Request": "true"})
    body = part.get_data(as_text=True)
    assert body.lstrip().startswith("<ol") and "Berapa puskesmas terdampak?" in body
    assert 'id="comment-body"' not in body
    with app.app_context():
        c = db.session.scalar(
            sa.select(Comment).where(Comment.body == "Berapa puskesmas terdampak?")
        )
        assert c.transition == "request_info" and c.visibility == "shared"
    # A return before the need went to BKN stays inside the Pemda.
    need_act(app, world.officer_ptk, world.n1.id, "submit")
    need_act(app, world.approver_ptk, world.n1.id, "return", comment="Internal Pemda saja.")
    with app.app_context():
        c = db.session.scalar(sa.select(Comment).where(Comment.body == "Internal Pemda saja."))
        assert c.visibility == "internal" and c.side == str(world.ptk.id)


def test_inbox_count_and_mark_read(world, client, login, make_client, app):
    need_act(app, world.approver_ptk, world.n1.id, "submit")
    need = world.need("submitted")
    login(client, world.designer)
    page = client.get("/dashboard").get_data(as_text=True)
    assert re.search(r'data-unread="2"', page)
    frag = client.get("/notifications/count").get_data(as_text=True)
    assert "<html" not in frag and 'data-unread="2"' in frag and "every 30s" in frag
    inbox = client.get("/notifications").get_data(as_text=True)
    assert inbox.count('data-testid="notification"') == 2 and "Budi BKPSDM mengajukan" in inbox
    with app.app_context():
        first, second = db.session.scalars(
            sa.select(Notification.id).where(Notification.recipient_id == world.designer.id)
        ).all()
    token = csrf_from(inbox)
    resp = client.post(
        f"/notifications/{first}/read", headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'hx-swap-oob="true"' in body and 'data-unread="1"' in body
    other = make_client()
    login(other, world.designer2)
    assert other.get(f"/notifications/{second}").status_code == 404
    resp = client.get(f"/notifications/{second}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/needs/{need.id}")
    resp = client.post("/notifications/read-all", data={}, follow_redirects=True)
    assert "Semua pemberitahuan sudah dibaca" not in resp.get_data(as_text=True)
    assert "data-unread" not in client.get("/notifications/count").get_data(as_text=True)


@pytest.mark.parametrize("event", sorted(rules.RULES))
def test_every_event_renders_in_both_languages(event, world, app):
    from flask_babel import force_locale

    from collab.notifications.services import render

    note = Notification(
        recipient_id=world.designer.id,
        kind=rules.RULES[event].kind,
        event=event,
        entity_type="program" if event.startswith("program") else "need",
        entity_id=1,
        params={
            "title": "T",
            "actor": "A",
            "action": event.split(".")[-1],
            "from": "draft",
            "to": "proposed",
            "comment": "c",
            "due_at": utcnow().isoformat(),
            "side": "bkn",
            "revision": 1,
        },
    )
    with app.test_request_context():
        for lang in ("id", "en"):
            with force_locale(lang):
                words = render(note, zone="Asia/Pontianak")
                assert "T" in words.text and "%(" not in words.text + words.detail


def test_reminders_warn_then_escalate_once_each(world, app):
    from collab.notifications.reminders import run_reminders

    n = world.need("submitted", urgency="critical")
    with app.app_context():
        due = db.session.get(Need, n.id).sla_due_at
        assert due is not None
        assert run_reminders(now=due - timedelta(days=5)).warnings == 0  # not yet
        first = run_reminders(now=due - timedelta(hours=2))
        again = run_reminders(now=due - timedelta(hours=1))
    assert (first.warnings, again.warnings) == (2, 0)  # both designers (nobody assigned), once
    ((event, nid, params),) = notes(app, world.designer, "sla_warning")
    assert nid == n.id and params["side"] == "bkn"
    assert len(mails(app, "designer@bkn.test")) == 2  # verify + the warning
    subject = mails(app, "designer@bkn.test")[-1][1]
    assert subject.startswith("[Sinergi] Tenggat usulan") and "Menunggu BKN" in subject
    with app.app_context():
        late = run_reminders(now=due + timedelta(days=3))
        assert (late.warnings, late.escalations) == (0, 1)  # to the BKN approver
        assert run_reminders(now=due + timedelta(days=4)).escalations == 0
    assert [e for e, *_ in notes(app, world.approver_bkn)] == ["sla_overdue"]
    assert notes(app, world.approver_ptk, "sla_overdue") == []


def test_reminders_cli(world, app):
    world.need("submitted", urgency="critical")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reminders", "run"])
    assert result.exit_code == 0 and "warnings 0, escalations 0" in result.output
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0 and result.output.startswith("sent ")


def test_deleted_or_edited_comment_is_not_quoted_or_mailed_any_more(world, app):
    from collab.comments.services import add_comment, delete_comment, edit_comment

    n = world.need("in_review")
    with app.app_context():
        need = db.session.get(Need, n.id)
        officer = db.session.get(User, world.officer_ptk.id)
        gone = add_comment(officer, need, "NIK pasien 6171xxxx tertulis di sini.")
        kept = add_comment(officer, need, "Versi pertama.")
        db.session.commit()
        about_comments = (
            sa.select(EmailOutbox)
            .join(Notification, Notification.id == EmailOutbox.notification_id)
            .where(Notification.event == "comment")
        )
        assert len(db.session.scalars(about_comments).all()) == 4  # 2 comments × 2 readers
        delete_comment(officer, db.session.get(type(gone), gone.id))
        edit_comment(
            officer, db.session.get(type(kept), kept.id), "Versi kedua.", expected_version=1
        )
        db.session.commit()
        texts = [m.body_text for m in db.session.scalars(about_comments)]
    assert len(texts) == 2 and all("Versi kedua." in t for t in texts)
    assert not any("NIK pasien" in str(p) for *_, p in notes(app, world.designer))
    assert any(p.get("deleted") for *_, p in notes(app, world.designer))


def test_title_with_line_break_still_mails(world, app):
    n = world.need("draft", title="Judul\r\nBcc: x@contoh.go.id")
    need_act(app, world.officer_ptk, n.id, "submit")
    with app.app_context():
        assert "\n" not in db.session.scalar(sa.select(EmailOutbox.subject))
        assert outbox.send_due().sent == 1


def test_outbox_uses_current_address_and_skips_deactivated(world, app):
    need_act(app, world.approver_ptk, world.n1.id, "submit")  # officer, designer, designer2
    with app.app_context():
        db.session.get(User, world.designer.id).email = "baru@bkn.test"
        db.session.get(User, world.designer2.id).active = False
        db.session.commit()
        report = outbox.send_due()
        sent = [m.to for m in app.extensions["mailman"].outbox]
    assert (report.sent, report.failed) == (2, 1)
    assert sorted(sent) == [["baru@bkn.test"], ["officer@ptk.test"]]


def test_withdraw_reaches_the_filer_and_bkn(world, app):
    n = world.need("submitted")  # nobody at BKN took it yet
    need_act(app, world.approver_ptk, n.id, "withdraw", comment="Ditangani provinsi.")
    assert notes(app, world.officer_ptk, "need.withdraw")
    assert notes(app, world.designer, "need.withdraw") and notes(
        app, world.designer2, "need.withdraw"
    )


def test_rejecting_a_program_notifies_each_person_once(pworld, app):
    act(app, pworld.designer, pworld.p1, "propose")
    act(app, pworld.approver_bkn, pworld.p1, "reject", comment="Tidak ada anggaran.")
    for who in (pworld.officer_ptk, pworld.designer, pworld.officer_kkr):
        events = [e for e, *_ in notes(app, who) if e in ("program.reject", "need.release")]
        assert events == ["program.reject"], (who, events)


@pytest.mark.parametrize(
    ("event", "english"),
    [
        ("need.take", "Rina took up the need “RME”."),
        ("need.request_info", "Rina asked for information on the need “RME”."),
        ("program.start", "Rina started delivering the program “RME”."),
        ("program.close", "Rina closed the evaluation of the program “RME”."),
    ],
)
def test_workflow_notifications_are_whole_sentences_in_english(event, english, world, app):
    """Each language orders its own words (not "Rina took it up need “RME”")."""
    from flask_babel import force_locale

    from collab.notifications.services import render

    note = Notification(
        recipient_id=world.officer_ptk.id,
        kind=rules.RULES[event].kind,
        event=event,
        entity_type=event.split(".")[0],
        entity_id=1,
        params={"title": "RME", "actor": "Rina", "action": event.split(".")[-1]},
    )
    with app.test_request_context(), force_locale("en"):
        assert render(note).text == english
