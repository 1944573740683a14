"""Evaluation forms: the L1 questionnaire (public and on a participant's behalf), the L3
follow-up and the L4 measurement."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from wtforms.fields import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from collab.core.forms import Form, LocaleDecimalField, opts

SCALE = [(i, str(i)) for i in range(1, 6)]
"""The 1–5 rating scale as (value, label) pairs."""
PICK = _l("Pilih nilai 1 sampai 5.")


def _int_or_none(value):
    if value in (None, "", "None"):
        return None
    return int(value)


def _rating(label):
    return RadioField(label, choices=opts(SCALE), coerce=int, validators=[InputRequired(PICK)])


class ReactionForm(Form):
    """The L1 questionnaire: four ratings 1–5 and a comment."""

    material = _rating(_l("Materi"))
    facilitator = _rating(_l("Fasilitator"))
    organisation = _rating(_l("Penyelenggaraan"))
    usefulness = _rating(_l("Manfaat"))
    comment = TextAreaField(
        _l("Komentar dan saran"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3}
    )


class DesignerReactionForm(ReactionForm):
    """The designer enters a participant's answers (e.g. from a paper form)."""

    participant_id = SelectField(
        _lp("satu peserta", "Peserta"), coerce=int, validators=[InputRequired()]
    )

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.participant_id.choices = opts((p.id, f"{p.name} ({p.nip})") for p in participants)


class FollowUpForm(Form):
    """L3: the supervisor's assessment and the RTL progress of one participant."""

    participant_id = SelectField(
        _lp("satu peserta", "Peserta"), coerce=int, validators=[InputRequired()]
    )
    supervisor_score = SelectField(
        _l("Penilaian atasan langsung (1–5)"),
        choices=opts([("", "—")] + [(str(i), str(i)) for i in range(1, 6)]),
        coerce=_int_or_none,
        validators=[Optional()],
    )
    supervisor_note = TextAreaField(
        _l("Catatan atasan langsung"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )
    rtl_progress = TextAreaField(
        _l("Kemajuan RTL (Rencana Tindak Lanjut)"),
        validators=[InputRequired(), Length(max=4000)],
        render_kw={"rows": 2},
    )

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.participant_id.choices = opts((p.id, f"{p.name} ({p.nip})") for p in participants)


class MeasurementForm(Form):
    """L4: a need's indicator value on a date."""

    need_id = SelectField(_l("Usulan"), coerce=int, validators=[InputRequired()])
    value = LocaleDecimalField(_l("Capaian"), validators=[InputRequired()])
    measured_on = DateField(
        _l("Tanggal pengukuran"), validators=[InputRequired()], format=["%Y-%m-%d", "%d/%m/%Y"]
    )
    note = TextAreaField(
        _l("Keterangan"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}
    )

    def __init__(self, *args, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.need_id.choices = opts((n.id, n.title) for n in needs)
