"""Import of L2 scores and attendance from a spreadsheet (XLSX or CSV), and its template.

Columns (header row, any order, case and spaces ignored): ``NIP`` (required), ``Nama``
(ignored: for the reader), ``Pre-test``, ``Post-test`` and one column per session titled
``Sesi N (date)`` — the session is told by its number N in the program's session order (the
date is for the reader). Every column of the template must be present; an unknown or repeated
title is an error. Scores are whole numbers 0–100; attendance is ``H``/``I``/``S``/``TK`` or
the full words (*Hadir, Izin, Sakit, Tanpa Keterangan*), case-insensitive. An empty cell
leaves the recorded value unchanged; empty rows are skipped.

All rows or none: :func:`check_rows` lists every problem as "Baris N, kolom X: …" and
:func:`apply` writes nothing unless there is none. Reading (size, type, bounds) is the
participant import's (:func:`collab.participants.imports.read_table`). Who may import: the
owner designer while scores are editable (in delivery or delivered); attendance can only be
*changed* in delivery (as in the grid), so a delivered program's file may repeat recorded
attendance but not alter it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl.utils import get_column_letter

from collab.attendance import services
from collab.core.audit import record_event
from collab.core.i18n import format_datetime
from collab.core.tabular import is_blank
from collab.errors import InvalidTransition, NotAllowed, ValidationFailed
from collab.extensions import db
from collab.models import Attendance, AttendanceStatus, Participant, Program, User, utcnow
from collab.participants import imports as participant_imports
from collab.participants.nip import looks_spreadsheet_damaged, normalize, spreadsheet_message
from collab.programs.services import parties_for
from collab.workflow import programs as wf
from collab.workflow.base import Party

XLSX_MIME = participant_imports.XLSX_MIME

CODES = {
    "h": AttendanceStatus.HADIR,
    "i": AttendanceStatus.IZIN,
    "s": AttendanceStatus.SAKIT,
    "tk": AttendanceStatus.TANPA_KETERANGAN,
    "hadir": AttendanceStatus.HADIR,
    "izin": AttendanceStatus.IZIN,
    "sakit": AttendanceStatus.SAKIT,
    "tanpa keterangan": AttendanceStatus.TANPA_KETERANGAN,
    "tanpa_keterangan": AttendanceStatus.TANPA_KETERANGAN,
}
"""Accepted attendance values (lower case, spaces collapsed); the displayed labels of the
current language are accepted as well."""

SHORT = {
    AttendanceStatus.HADIR: "H",
    AttendanceStatus.IZIN: "I",
    AttendanceStatus.SAKIT: "S",
    AttendanceStatus.TANPA_KETERANGAN: "TK",
}

_SESSION = re.compile(r"^(?:sesi|session)\s*(\d+)\b", re.IGNORECASE)


# --- who --------------------------------------------------------------------------------------


def check_can_import(user: User, program: Program) -> None:
    """The owner designer (403 otherwise) of a program in delivery or delivered (409
    otherwise) — the states of the scores grid (``wf.SCORE_EDITABLE_STATES``)."""
    if Party.OWNER_DESIGNER not in parties_for(user, program):
        raise NotAllowed(_("Nilai hanya dapat diisi oleh perancang program."))
    if program.status not in wf.SCORE_EDITABLE_STATES:
        raise InvalidTransition(
            _("Nilai dan presensi hanya dapat diimpor selama atau sesudah program dilaksanakan.")
        )


def can_import(user: User, program: Program) -> bool:
    return services.can_record_scores(user, program)


# --- columns ----------------------------------------------------------------------------------


def session_title(number: int, session, program: Program) -> str:
    """``Sesi 1 (1 Maret 2027 08.00 WIB)``: the session's start in the program's venue zone,
    whose abbreviation the header names (an import matches only the leading ``Sesi 1``)."""
    return _(
        "Sesi %(n)s (%(date)s)",
        n=number,
        date=format_datetime(session.starts_at, program.timezone),
    )


def headers(program: Program) -> list[str]:
    """The template's header row: NIP, Nama, Pre-test, Post-test, one column per session."""
    return [_("NIP"), _("Nama"), _("Pre-test"), _("Post-test")] + [
        session_title(i, s, program) for i, s in enumerate(program.sessions, start=1)
    ]


def _key(title: object) -> str:
    return re.sub(r"[\s_-]+", "", str(title or "")).lower()


def _in_every_language(named: dict) -> dict[str, object]:
    """``{text: value}`` for each ``{value: lazy text}`` as the text reads in every UI
    language: a file downloaded in English imports while the UI is in Indonesian, and the
    other way round."""
    from flask import current_app
    from flask_babel import force_locale

    out = {}
    for lang in current_app.config["LANGUAGES"]:
        with force_locale(lang):
            out.update({str(text): value for value, text in named.items()})
    return out


def _column_key(title: object, program: Program) -> str | None:
    """``nip``, ``name``, ``pre_score``, ``post_score``, ``s<session id>`` or None; column
    titles are recognised in every UI language."""
    k = _key(title)
    fixed = {"nip": "nip", "nama": "name", "pretest": "pre_score", "posttest": "post_score"}
    titles = {"name": _l("Nama"), "pre_score": _l("Pre-test"), "post_score": _l("Post-test")}
    for text, key in _in_every_language(titles).items():
        fixed.setdefault(_key(text), key)
    if k in fixed:
        return fixed[k]
    m = _SESSION.match(" ".join(str(title or "").split()))
    if m and 1 <= int(m.group(1)) <= len(program.sessions):
        return f"s{program.sessions[int(m.group(1)) - 1].id}"
    return None


# --- checking ---------------------------------------------------------------------------------


@dataclass
class Update:
    """One participant's changes from one row (None: leave unchanged)."""

    participant: Participant
    pre_score: int | None = None
    post_score: int | None = None
    attendance: dict[int, AttendanceStatus] = field(default_factory=dict)


def _at(row: int, col: str, msg: str) -> str:
    return _("Baris %(row)s, kolom %(col)s: %(msg)s", row=row, col=col, msg=msg)


def _score(value: object) -> int | None:
    """A whole number 0–100 from a cell, else None (the caller reports it)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"\d{1,3}", text):
            return None
        value = int(text)
    if isinstance(value, int) and 0 <= value <= 100:
        return value
    return None


def _status(value: object) -> AttendanceStatus | None:
    text = " ".join(str(value).split()).lower()
    found = CODES.get(text)
    if found is None:  # the grid's labels, in any UI language ("Hadir", "Present", …)
        labels = {k.lower(): st for k, st in _in_every_language(services.LABELS).items()}
        found = labels.get(text)
    return found


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def check_rows(program: Program, table: list[list]) -> list[Update]:
    """The updates of a file's rows (header first), or :class:`ValidationFailed` listing
    every problem under ``file``."""
    if not table:
        raise ValidationFailed(
            _("Berkas kosong: baris judul kolom tidak ditemukan."),
            {"file": [_("Berkas kosong: baris judul kolom tidak ditemukan.")]},
        )
    titles = headers(program)
    session_keys = [f"s{s.id}" for s in program.sessions]
    wanted = ["nip", "name", "pre_score", "post_score", *session_keys]
    title_of = dict(zip(wanted, titles, strict=True))
    messages: list[str] = []
    index: dict[str, int] = {}
    for i, title in enumerate(table[0]):
        if is_blank([title]):
            continue
        letter = get_column_letter(i + 1)
        key = _column_key(title, program)
        if key is None:
            messages.append(
                _at(
                    1,
                    letter,
                    _("Judul kolom “%(title)s” tidak dikenal. Gunakan templat.", title=title),
                )
            )
        elif key in index:
            messages.append(
                _at(1, letter, _("Kolom “%(title)s” muncul lebih dari sekali.", title=title))
            )
        else:
            index[key] = i
    missing = [title_of[k] for k in wanted if k not in index]
    if missing:
        messages.append(
            _(
                "Kolom wajib tidak ditemukan di baris judul: %(cols)s. Gunakan templat.",
                cols=", ".join(missing),
            )
        )
    updates: list[Update] = []
    if "nip" in index:
        updates = _check_data(program, table, index, title_of, messages)
    if messages:
        raise ValidationFailed(
            _("Berkas tidak diimpor; tidak ada nilai atau presensi yang disimpan."),
            {"file": messages},
        )
    return updates


def _check_data(program, table, index, title_of, messages) -> list[Update]:
    enrolled = {p.nip: p for p in services.enrolled_participants(program)}
    recorded = services.attendance_map(program) if program.status != wf.IN_DELIVERY else None
    seen: dict[str, int] = {}
    updates: list[Update] = []
    rows = 0
    for number, raw in enumerate(table[1:], start=2):
        values = {key: raw[i] if i < len(raw) else "" for key, i in index.items()}
        if is_blank(values.values()):
            continue
        rows += 1
        if rows > participant_imports.MAX_ROWS:
            messages.append(
                _(
                    "Paling banyak %(n)s baris peserta sekali impor.",
                    n=participant_imports.MAX_ROWS,
                )
            )
            break
        update = _check_nip(values["nip"], number, enrolled, seen, messages)
        for key in ("pre_score", "post_score"):
            value = values.get(key, "")
            if is_blank([value]):
                continue
            score = _score(value)
            if score is None:
                messages.append(
                    _at(
                        number,
                        title_of[key],
                        _(
                            "Nilai harus bilangan bulat 0–100, bukan “%(value)s”.",
                            value=_show(value),
                        ),
                    )
                )
            elif update is not None:
                setattr(update, key, score)
        for s in program.sessions:
            value = values.get(f"s{s.id}", "")
            if is_blank([value]):
                continue
            status = _status(value)
            col = title_of[f"s{s.id}"]
            if status is None:
                messages.append(
                    _at(
                        number,
                        col,
                        _(
                            "Presensi “%(value)s” tidak dikenal; isi H (Hadir), I (Izin), "
                            "S (Sakit) atau TK (Tanpa Keterangan).",
                            value=_show(value),
                        ),
                    )
                )
            elif update is not None:
                pid = update.participant.id
                if recorded is not None and recorded.get((s.id, pid)) != status:
                    messages.append(
                        _at(
                            number,
                            col,
                            _("Presensi tidak dapat diubah lagi setelah program selesai."),
                        )
                    )
                update.attendance[s.id] = status
        if update is not None:
            updates.append(update)
    if not rows:
        messages.append(_("Berkas tidak berisi satu baris peserta pun."))
    return updates


def _check_nip(raw, number, enrolled, seen, messages) -> Update | None:
    col = _("NIP")
    if isinstance(raw, int | float) or looks_spreadsheet_damaged(raw):
        messages.append(_at(number, col, spreadsheet_message()))
        return None
    nip = normalize(raw)
    if not nip:
        messages.append(_at(number, col, _("NIP wajib diisi.")))
        return None
    if nip in seen:
        messages.append(
            _(
                "Baris %(row)s, kolom NIP: NIP yang sama sudah ada di baris %(first)s.",
                row=number,
                first=seen[nip],
            )
        )
        return None
    seen[nip] = number
    participant = enrolled.get(nip)
    if participant is None:
        messages.append(
            _at(
                number,
                col,
                _(
                    "NIP %(nip)s bukan peserta terdaftar program ini; nilai dan presensi "
                    "peserta yang tidak dikenal tidak dapat disimpan.",
                    nip=nip,
                ),
            )
        )
        return None
    return Update(participant)


# --- writing ----------------------------------------------------------------------------------


@dataclass
class ImportResult:
    participants: int
    scores: int
    attendance: int


def apply(actor: User, program: Program, updates: list[Update]) -> ImportResult:
    """Write checked updates; one audit row ``import_scores`` on the program with the
    counts; completion re-computed when the program is delivered. Does not commit."""
    check_can_import(actor, program)
    now = utcnow()
    pids = [u.participant.id for u in updates]
    existing = {
        (a.session_id, a.participant_id): a
        for a in db.session.scalars(
            sa.select(Attendance).where(Attendance.participant_id.in_(pids))
        )
    }
    changed_people = scores = cells = 0
    for u in updates:
        p = u.participant
        changed = False
        for key in ("pre_score", "post_score"):
            value = getattr(u, key)
            if value is not None and getattr(p, key) != value:
                setattr(p, key, value)
                scores += 1
                changed = True
        for session_id, status in u.attendance.items():
            row = existing.get((session_id, p.id))
            if row is None:
                db.session.add(
                    Attendance(
                        session_id=session_id,
                        participant_id=p.id,
                        status=status,
                        recorded_by_id=actor.id,
                        recorded_at=now,
                    )
                )
            elif row.status != status:
                row.status, row.recorded_by_id, row.recorded_at = status, actor.id, now
            else:
                continue
            cells += 1
            changed = True
        changed_people += changed
    db.session.flush()
    record_event(
        actor,
        "program",
        program.id,
        "import_scores",
        data={
            "rows": len(updates),
            "participants": changed_people,
            "scores": scores,
            "attendance": cells,
        },
    )
    if program.status == wf.DELIVERED:
        services.compute_completion(program)
    return ImportResult(changed_people, scores, cells)


def import_file(actor: User, program: Program, filename: str, stream) -> ImportResult:
    """Check and read the upload, then write it all or nothing."""
    check_can_import(actor, program)
    table = participant_imports.read_table(filename, stream)
    return apply(actor, program, check_rows(program, table))


# --- templates --------------------------------------------------------------------------------


def template_xlsx(program: Program) -> bytes:
    """The header row and one row per enrolled participant (NIP as text, name); a list of
    H/I/S/TK offered in the session columns; a second sheet explains the columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    participants = services.enrolled_participants(program)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Nilai & presensi")
    ws.append(headers(program))
    for c in ws[1]:
        c.font = Font(bold=True)
    for p in participants:
        ws.append([p.nip, p.name])
    last = max(len(participants) + 1, 2)
    for row in range(1, last + 1):
        ws.cell(row=row, column=1).number_format = "@"
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 30
    for col in range(3, 5 + len(program.sessions)):
        ws.column_dimensions[get_column_letter(col)].width = 14 if col < 5 else 22
    if program.sessions:
        dv = DataValidation(type="list", formula1='"H,I,S,TK"', allow_blank=True)
        dv.showErrorMessage = False
        dv.add(f"E2:{get_column_letter(4 + len(program.sessions))}{last}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "C2"
    help_ws = wb.create_sheet(_("Petunjuk"))
    for line in (
        _("Isi lembar pertama; satu baris per peserta (NIP dan nama sudah terisi)."),
        _("Pre-test dan Post-test: bilangan bulat 0–100."),
        _("Presensi per sesi: H (Hadir), I (Izin), S (Sakit), TK (Tanpa Keterangan)."),
        _("Sel kosong tidak mengubah nilai atau presensi yang sudah tercatat."),
    ):
        help_ws.append([line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_csv(program: Program) -> bytes:
    """The same as CSV: ``;``-separated, UTF-8 with a byte-order mark."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers(program))
    for p in services.enrolled_participants(program):
        writer.writerow([p.nip, p.name])
    return codecs.BOM_UTF8 + buf.getvalue().encode("utf-8")
