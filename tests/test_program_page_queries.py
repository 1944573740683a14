"""The program page reads everything it shows in a constant number of statements (issue 10):
its content in one statement, sign-offs with revisions in one, and one roster of participants
(with L1 answers and follow-ups) shared by the participant, attendance and evaluation panels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from collab.extensions import db
from collab.models import (
    FollowUp,
    Participant,
    ProgramSession,
    ReactionResponse,
    User,
)
from tests.test_evaluation import delivered  # noqa: F401  (fixture)


def _grow(app, w, n: int) -> None:
    """``n`` more enrolled participants per partner Pemda, each with L1 answers and a
    follow-up, one withdrawn nomination, and one more session."""
    with app.app_context():
        designer = db.session.get(User, w.designer.id)
        start = datetime(2027, 3, 3, 1, tzinfo=UTC)
        db.session.add(
            ProgramSession(
                program_id=w.p1,
                starts_at=start,
                ends_at=start + timedelta(hours=6),
                location="Aula",
                topic="Tambahan",
                jp=4,
            )
        )
        for org in (w.ptk, w.kkr):
            for i in range(n + 1):
                p = Participant(
                    program_id=w.p1,
                    pemda_id=org.id,
                    nip=f"19900101201501{org.id % 10}{i:03d}",
                    name=f"Peserta {org.id}-{i}",
                    jabatan="Perekam Medis",
                    unit="Puskesmas",
                    status="withdrawn" if i == n else "enrolled",
                    nominated_by_id=designer.id,
                    pre_score=50,
                    post_score=80,
                )
                db.session.add(p)
                db.session.flush()
                if i == n:
                    continue
                db.session.add(
                    ReactionResponse(
                        participant_id=p.id,
                        material=4,
                        facilitator=4,
                        organisation=4,
                        usefulness=5,
                        source="designer",
                        entered_by_id=designer.id,
                    )
                )
                db.session.add(
                    FollowUp(
                        participant_id=p.id,
                        supervisor_score=4,
                        rtl_progress="Berjalan",
                        recorded_by_id=designer.id,
                    )
                )
        db.session.commit()


@pytest.mark.parametrize("who", ["designer", "approver_ptk"])
def test_program_page_statement_count_is_constant(
    delivered,  # noqa: F811
    app,
    make_client,
    login,
    count_queries,
    who,
):
    w = delivered
    browser = make_client()
    login(browser, getattr(w, who))
    url = f"/programs/{w.p1}"
    browser.get(url)
    with count_queries() as small:
        html = browser.get(url).get_data(as_text=True)
    assert 'id="participants-panel"' in html and 'id="evaluation-panel"' in html
    _grow(app, w, 6)
    with count_queries() as large:
        html = browser.get(url).get_data(as_text=True)
    assert "Peserta" in html and "Tambahan" in html
    assert small.count == large.count <= 12, (small.count, large.count)


def test_roster_orders_and_filters_like_the_queries_it_replaces(delivered, app):  # noqa: F811
    from collab.attendance.services import enrolled_participants
    from collab.evaluation import services as evaluation
    from collab.models import Program
    from collab.participants.services import list_participants, quota_use
    from collab.programs.queries import Roster

    w = delivered
    _grow(app, w, 3)
    with app.app_context():
        program = db.session.get(Program, w.p1)
        for who in (w.designer, w.approver_ptk, w.approver_kkr):
            viewer = db.session.get(User, who.id)
            roster = Roster(program)
            assert roster.visible(viewer) == list_participants(viewer, program)
            assert roster.enrolled(viewer) == enrolled_participants(program, viewer)
            assert roster.enrolled(viewer) == evaluation.enrolled(program, viewer)
            assert quota_use(viewer, program, roster.counts()) == quota_use(viewer, program)
        roster = Roster(program)
        assert roster.enrolled() == evaluation.enrolled(program)
        assert roster.reactions() == evaluation.reactions(program)
        assert roster.followups() == evaluation.followups(program)
        assert evaluation.summary(program, None, roster) == evaluation.summary(program)
