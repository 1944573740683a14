"""Forms for designing a program, its sessions, and program transitions."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DateTimeLocalField,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from collab import labels, reference
from collab.core.forms import Form, FormMeta, LocaleIntegerField, NumberBounds, RowList, opts
from collab.core.i18n import format_rupiah, local_today, zone_abbr
from collab.needs.forms import competency_choices
from collab.programs.services import (
    BudgetData,
    CompetencyData,
    ModuleData,
    ProgramData,
    SessionData,
    default_venue_zone,
)


def _required(label):
    return DataRequired(message=_l("%(label)s wajib diisi.", label=label))


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class _Row(PlainForm):
    class Meta(FormMeta):
        pass


class CompetencyRow(_Row):
    """A competency row; blank rows are ignored."""

    kind = SelectField(
        _l("Jenis"), choices=opts(list(labels.COMPETENCY_KIND.items())), default="teknis"
    )
    name = StringField(_l("Kompetensi teknis"), validators=[Optional(), Length(max=200)])
    code = SelectField(_l("Kompetensi manajerial / sosial kultural"), validators=[Optional()])
    target_level = SelectField(
        _l("Level target"), choices=opts([(i, str(i)) for i in range(1, 6)]), coerce=int, default=3
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.code.choices = competency_choices()

    def is_blank(self) -> bool:
        """True when the row names no competency."""
        if self.kind.data == "teknis":
            return not (self.name.data or "").strip()
        return not self.code.data


class ModuleRow(_Row):
    """A curriculum module row: title and JP."""

    title = StringField(_l("Modul"), validators=[Optional(), Length(max=200)])
    jp = LocaleIntegerField(
        _l("JP"), validators=[Optional(), NumberRange(min=1, max=1000, message=_l("JP 1–1000."))]
    )

    def is_blank(self) -> bool:
        """True when neither title nor JP is given."""
        return not (self.title.data or "").strip() and self.jp.data is None


class QuotaRow(_Row):
    """A quota row: partner Pemda and number of places."""

    org_id = SelectField(_l("Pemda mitra"), coerce=_optional_int, validators=[Optional()])
    quota = LocaleIntegerField(
        _l("Kuota"),
        validators=[Optional(), NumberRange(min=0, max=100000, message=_l("Kuota 0–100.000."))],
    )

    def is_blank(self) -> bool:
        """True when no Pemda is chosen."""
        return not self.org_id.data


class BudgetRow(_Row):
    """A budget line: funding source, description, amount in whole rupiah."""

    source = SelectField(
        _l("Sumber dana"), choices=opts(list(labels.FUNDING_SOURCE.items())), default="apbn"
    )
    description = StringField(_l("Uraian"), validators=[Optional(), Length(max=200)])
    amount = LocaleIntegerField(
        _l("Jumlah (Rp)"),
        validators=[
            Optional(),
            NumberBounds(
                min=0,
                max=10**13,
                min_message=_l("Anggaran tidak boleh negatif."),
                max_message=_l("Anggaran paling besar %(max)s."),
                fmt=format_rupiah,
            ),
        ],
    )

    def is_blank(self) -> bool:
        """True when no amount is given."""
        return self.amount.data is None


class MultiCheckboxField(SelectMultipleField):
    """Multiple choice rendered as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProgramForm(Form):
    """Every field of a program (DESIGN.md §2). Need choices depend on the designer (A07)."""

    version = HiddenField()
    need_ids = MultiCheckboxField(_l("Usulan kebutuhan yang dilayani"), coerce=int)
    title = StringField(_l("Judul program"), validators=[_required(_l("Judul")), Length(max=200)])
    objectives = TextAreaField(_l("Tujuan"), validators=[_required(_l("Tujuan")), Length(max=5000)])
    development_type_id = SelectField(_l("Jenis pengembangan kompetensi (SIASN)"), coerce=int)
    method = SelectField(_l("Metode"), choices=opts(list(labels.METHOD.items())))
    fiscal_year = LocaleIntegerField(
        _l("Tahun anggaran"),
        grouped=False,
        default=lambda: local_today().year + 1,
        validators=[
            InputRequired(message=_l("Tahun anggaran wajib diisi.")),
            NumberRange(min=2020, max=2100, message=_l("Tahun anggaran tidak valid.")),
        ],
    )

    def validate_planned_start(self, field):
        """A plausible year (a typo such as 0001 is refused)."""
        if field.data and not (2000 <= field.data.year <= 2100):
            raise ValidationError(_l("Tanggal tidak valid."))

    planned_start = DateField(
        _l("Rencana mulai"),
        validators=[Optional()],
        format=["%Y-%m-%d", "%d/%m/%Y"],
        render_kw={"type": "date"},
    )
    planned_end = DateField(
        _l("Rencana selesai"),
        validators=[Optional()],
        format=["%Y-%m-%d", "%d/%m/%Y"],
        render_kw={"type": "date"},
    )
    venue = StringField(_l("Tempat / tautan daring"), validators=[Optional(), Length(max=300)])
    timezone = SelectField(
        _l("Zona waktu tempat"),
        default=default_venue_zone,
    )
    min_attendance_pct = LocaleIntegerField(
        _l("Kehadiran minimal (%)"),
        default=80,
        validators=[
            InputRequired(message=_l("Kehadiran minimal wajib diisi.")),
            NumberRange(min=0, max=100, message=_l("Isi 0–100.")),
        ],
    )
    pass_mark = LocaleIntegerField(
        _l("Nilai kelulusan (0–100)"),
        default=70,
        validators=[
            InputRequired(message=_l("Nilai kelulusan wajib diisi.")),
            NumberRange(min=0, max=100, message=_l("Isi 0–100.")),
        ],
    )
    competencies = RowList(FormField(CompetencyRow), min_entries=3, max_entries=30)
    modules = RowList(FormField(ModuleRow), min_entries=6, max_entries=60)
    quotas = RowList(FormField(QuotaRow), min_entries=3, max_entries=200)
    budget = RowList(FormField(BudgetRow), min_entries=3, max_entries=30)

    def add_blank_rows(self, pemda_count: int = 0) -> None:
        """Keep two blank rows below the filled ones (and a quota row per partner Pemda), so
        a long curriculum or a program bundling many Pemda fits without JavaScript."""
        wanted = {
            self.competencies: 2,
            self.modules: 2,
            self.budget: 2,
            self.quotas: 1,
        }
        for rows, spare in wanted.items():
            filled = sum(1 for r in rows if not r.form.is_blank())
            target = max(rows.min_entries, filled + spare)
            if rows is self.quotas:
                target = max(target, pemda_count)
            while len(rows) < min(target, rows.max_entries):
                rows.append_entry()
        choices = self.quotas[0].form.org_id.choices if len(self.quotas) else []
        for row in self.quotas:
            row.form.org_id.choices = choices

    def prefill(self, data: ProgramData) -> None:
        """Show suggested values (from the needs a program is designed for) in a fresh form."""
        self.need_ids.data = list(data.need_ids)
        self.fiscal_year.data = data.fiscal_year
        self.timezone.data = data.timezone
        for rows, wanted in ((self.competencies, data.competencies), (self.quotas, data.quotas)):
            while len(rows) < min(len(wanted), rows.max_entries):
                rows.append_entry()
        choices = self.quotas[0].form.org_id.choices
        for row in self.quotas:
            row.form.org_id.choices = choices
        for row, comp in zip(self.competencies, data.competencies, strict=False):
            row.form.kind.data, row.form.name.data = comp.kind, comp.name
            row.form.code.data, row.form.target_level.data = comp.code or "", comp.target_level
        for row, (org_id, quota) in zip(self.quotas, data.quotas.items(), strict=False):
            row.form.org_id.data, row.form.quota.data = org_id, quota
        self.add_blank_rows(pemda_count=len(data.quotas))

    def validate_quotas(self, field):
        """One quota row per partner Pemda."""
        seen = [r.form.org_id.data for r in field if r.form.org_id.data]
        if len(seen) != len(set(seen)):
            raise ValidationError(_l("Setiap Pemda mitra cukup satu baris kuota."))

    def __init__(self, *args, needs=(), pemda_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.need_ids.choices = opts(
            [
                (n.id, f"#{n.id} {n.title} — {n.pemda.name} ({labels.NEED_STATUS[n.status]})")
                for n in needs
            ]
        )
        self.development_type_id.choices = opts(
            [(int(k), labels.development_type(v)) for k, v in reference.development_types().items()]
        )
        self.timezone.choices = opts(
            [(z, f"{abbr} ({z})") for z, abbr in reference.TIMEZONES.items()]
        )
        for row in self.quotas:
            row.form.org_id.choices = opts([("", "—")] + [(o.id, o.name) for o in pemda_choices])

    def validate_planned_end(self, field):
        """The end date may not fall before the start date (A06), in a plausible year."""
        if field.data and not (2000 <= field.data.year <= 2100):
            raise ValidationError(_l("Tanggal tidak valid."))
        if field.data and self.planned_start.data and field.data < self.planned_start.data:
            raise ValidationError(_l("Tanggal selesai tidak boleh sebelum tanggal mulai."))

    def to_data(self) -> ProgramData:
        """The validated values as :class:`ProgramData` (blank rows dropped)."""
        comps = [r.form for r in self.competencies if not r.form.is_blank()]
        modules = [r.form for r in self.modules if not r.form.is_blank()]
        quotas = [r.form for r in self.quotas if not r.form.is_blank()]
        budget = [r.form for r in self.budget if not r.form.is_blank()]
        return ProgramData(
            title=self.title.data.strip(),
            objectives=self.objectives.data.strip(),
            development_type_id=self.development_type_id.data,
            method=self.method.data,
            fiscal_year=self.fiscal_year.data,
            need_ids=list(self.need_ids.data or []),
            planned_start=self.planned_start.data,
            planned_end=self.planned_end.data,
            venue=(self.venue.data or "").strip() or None,
            timezone=self.timezone.data,
            min_attendance_pct=self.min_attendance_pct.data,
            pass_mark=self.pass_mark.data,
            competencies=[
                CompetencyData(
                    kind=c.kind.data,
                    name=(c.name.data or "").strip() or None,
                    code=c.code.data or None,
                    target_level=c.target_level.data,
                )
                for c in comps
            ],
            modules=[
                ModuleData(title=(m.title.data or "").strip(), jp=m.jp.data or 0) for m in modules
            ],
            quotas={q.org_id.data: q.quota.data or 0 for q in quotas},
            budget=[
                BudgetData(
                    source=b.source.data,
                    amount=b.amount.data,
                    description=(b.description.data or "").strip() or None,
                )
                for b in budget
            ],
        )

    def validate_modules(self, field):
        """A module needs both a title and JP."""
        for row in field:
            f = row.form
            if f.is_blank():
                continue
            if not (f.title.data or "").strip():
                f.title.errors = [*f.title.errors, _l("Judul modul wajib diisi.")]
                raise ValidationError(_l("Lengkapi baris kurikulum."))
            if f.jp.data is None:
                f.jp.errors = [*f.jp.errors, _l("JP wajib diisi.")]
                raise ValidationError(_l("Lengkapi baris kurikulum."))


SESSION_TIME_FORMATS = [
    "%Y-%m-%dT%H:%M",  # what a browser's datetime-local input posts (first: used to render)
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M",  # typed by hand: day first, never month first
    "%d/%m/%Y %H.%M",
]
"""Accepted session times: ISO first, then Indonesian day-first; anything else is refused."""


class SessionForm(Form):
    """A session: start and end as local wall-clock times (naive) in the program's venue zone
    (``zone``, named in the labels: "Mulai (WIB)"), place or link, topic, JP."""

    version = HiddenField()
    starts_at = DateTimeLocalField(
        _l("Mulai"),
        format=SESSION_TIME_FORMATS,
        validators=[InputRequired(message=_l("Waktu mulai wajib diisi."))],
    )
    ends_at = DateTimeLocalField(
        _l("Selesai"),
        format=SESSION_TIME_FORMATS,
        validators=[InputRequired(message=_l("Waktu selesai wajib diisi."))],
    )

    def __init__(self, *args, zone: str | None = None, **kwargs):
        """``zone``: the program's IANA zone, whose abbreviation the time labels carry."""
        super().__init__(*args, **kwargs)
        if zone:
            abbr = zone_abbr(zone)
            self.starts_at.label.text = _("Mulai (%(zone)s)", zone=abbr)
            self.ends_at.label.text = _("Selesai (%(zone)s)", zone=abbr)

    location = StringField(
        _l("Tempat / tautan daring"),
        validators=[_required(_l("Tempat")), Length(max=300)],
    )
    topic = StringField(_l("Topik"), validators=[_required(_l("Topik")), Length(max=200)])
    jp = LocaleIntegerField(
        _l("JP"),
        validators=[
            InputRequired(message=_l("JP wajib diisi.")),
            NumberRange(min=1, max=100, message=_l("JP 1–100.")),
        ],
    )

    def validate_starts_at(self, field):
        """A plausible year (a typo such as 0001 is refused)."""
        if field.data and not (2000 <= field.data.year <= 2100):
            raise ValidationError(_l("Tanggal tidak valid."))

    def validate_ends_at(self, field):
        """A session ends after it starts."""
        if field.data and not (2000 <= field.data.year <= 2100):
            raise ValidationError(_l("Tanggal tidak valid."))
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("Waktu selesai harus setelah waktu mulai."))

    def to_data(self) -> SessionData:
        """The validated values as :class:`SessionData`."""
        return SessionData(
            starts_local=self.starts_at.data,
            ends_local=self.ends_at.data,
            location=self.location.data.strip(),
            topic=self.topic.data.strip(),
            jp=self.jp.data,
        )


class ProgramTransitionForm(Form):
    """A program transition: the version and revision the user saw, and a comment."""

    version = HiddenField()
    revision = HiddenField()
    comment = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=5000)])
