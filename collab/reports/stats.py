"""The numbers of a program report, computed in Python from three statements.

Definitions (all over the program's *enrolled* participants; withdrawn and merely nominated
ASN are left out):

- **attendance rate**: Hadir records ÷ (participants × sessions), overall and per session
  (per session: Hadir ÷ participants). As in :mod:`collab.attendance.services`, only Hadir
  counts as present; Izin, Sakit, Tanpa Keterangan and a missing record count as absent.
- **pass rate**: participants with ``passed`` true ÷ participants; those not assessed yet
  (``passed`` None: no post-test) count as not passed and are shown separately.
- **L2 means**: mean pre-test over participants with a pre-test score, mean post-test over
  those with a post-test score (each with its own *n*).
- **normalised gain** (Hake's *g*, per participant, then averaged):
  ``g = mean((post − pre) / (100 − pre))`` over participants with both scores and
  ``pre < 100`` (a participant with 100 on the pre-test has no room to gain and is left out).
  ``g`` is at most 1; it is negative when the post-test is below the pre-test.

The report is program-wide aggregates (counts, rates, means: no names), the same for every
viewer who may see the program, BKN or a partner Pemda.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from collab.attendance.services import attendance_map, enrolled_participants
from collab.models import AttendanceStatus, Participant, Program, ProgramSession


@dataclass
class SessionRate:
    """Hadir at one session of all participants."""

    number: int
    session: ProgramSession
    present: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.present / self.total if self.total else None


@dataclass
class ScoreSummary:
    """L2 of a group of participants: mean pre/post (None without scores), their *n*, the
    mean normalised gain and its *n*."""

    pre_mean: float | None = None
    pre_n: int = 0
    post_mean: float | None = None
    post_n: int = 0
    gain: float | None = None
    gain_n: int = 0


@dataclass
class PemdaRow:
    """One Pemda's participants, Hadir rate, passes and L2."""

    pemda_id: int
    name: str
    participants: int
    passed: int
    attendance_rate: float | None
    scores: ScoreSummary

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.participants if self.participants else None


@dataclass
class ProgramReport:
    """Every number the report shows (see the module docstring for the definitions)."""

    participants: int
    passed: int
    not_passed: int
    pending: int
    present: int
    possible: int
    sessions: list[SessionRate] = field(default_factory=list)
    per_pemda: list[PemdaRow] = field(default_factory=list)
    scores: ScoreSummary = field(default_factory=ScoreSummary)

    @property
    def attendance_rate(self) -> float | None:
        return self.present / self.possible if self.possible else None

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.participants if self.participants else None


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def normalised_gain(pre: int | None, post: int | None) -> float | None:
    """``(post − pre) / (100 − pre)``; None without both scores or with ``pre == 100``."""
    if pre is None or post is None or pre >= 100:
        return None
    return (post - pre) / (100 - pre)


def score_summary(participants: list[Participant]) -> ScoreSummary:
    """L2 means and the mean normalised gain of ``participants``."""
    pre = [p.pre_score for p in participants if p.pre_score is not None]
    post = [p.post_score for p in participants if p.post_score is not None]
    gains = [
        g
        for g in (normalised_gain(p.pre_score, p.post_score) for p in participants)
        if g is not None
    ]
    return ScoreSummary(_mean(pre), len(pre), _mean(post), len(post), _mean(gains), len(gains))


def program_report(program: Program) -> ProgramReport:
    """The report's numbers for ``program`` (every Pemda's participants)."""
    participants = enrolled_participants(program)
    att = attendance_map(program)
    hadir = str(AttendanceStatus.HADIR)
    present_of = {
        p.id: sum(1 for s in program.sessions if att.get((s.id, p.id)) == hadir)
        for p in participants
    }
    n_sessions = len(program.sessions)
    sessions = [
        SessionRate(
            i,
            s,
            sum(1 for p in participants if att.get((s.id, p.id)) == hadir),
            len(participants),
        )
        for i, s in enumerate(program.sessions, start=1)
    ]
    groups: dict[int, list[Participant]] = {}
    for p in participants:
        groups.setdefault(p.pemda_id, []).append(p)
    per_pemda = []
    for pemda_id, group in groups.items():
        possible = len(group) * n_sessions
        per_pemda.append(
            PemdaRow(
                pemda_id,
                group[0].pemda.name,
                len(group),
                sum(1 for p in group if p.passed),
                sum(present_of[p.id] for p in group) / possible if possible else None,
                score_summary(group),
            )
        )
    per_pemda.sort(key=lambda r: r.name)
    return ProgramReport(
        participants=len(participants),
        passed=sum(1 for p in participants if p.passed),
        not_passed=sum(1 for p in participants if p.passed is False),
        pending=sum(1 for p in participants if p.passed is None),
        present=sum(present_of.values()),
        possible=len(participants) * n_sessions,
        sessions=sessions,
        per_pemda=per_pemda,
        scores=score_summary(participants),
    )
