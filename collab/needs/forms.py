"""Forms for filing and editing a need, and for transitions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import (
    Form as PlainForm,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from collab import labels, reference
from collab.core.forms import (
    Form,
    FormMeta,
    LocaleDecimalField,
    LocaleIntegerField,
    NumberBounds,
    RowList,
    apply_errors,
    opts,
)
from collab.core.i18n import local_today
from collab.needs.services import GapData, NeedData, gap_errors

GAP_ROWS = 4


def _required(label):
    return DataRequired(message=_l("%(label)s wajib diisi.", label=label))


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


def competency_choices():
    """Managerial and socio-cultural competencies (PermenPANRB 38/2017) as select options."""
    return opts(
        [("", "—")]
        + [
            (code, f"{name} ({labels.COMPETENCY_KIND[kind]})")
            for code, (kind, name) in reference.competencies().items()
        ]
    )


class GapForm(PlainForm):
    """One competency-gap row; a row with no competency chosen or named is ignored."""

    class Meta(FormMeta):
        pass

    kind = SelectField(
        _l("Jenis kompetensi"),
        choices=opts([(k, v) for k, v in labels.COMPETENCY_KIND.items()]),
        default="teknis",
    )
    name = StringField(_l("Kompetensi teknis"), validators=[Optional(), Length(max=200)])
    code = SelectField(_l("Kompetensi manajerial / sosial kultural"), validators=[Optional()])
    current_level = SelectField(
        _l("Level saat ini"),
        choices=opts([(i, str(i)) for i in range(1, 6)]),
        coerce=int,
        default=1,
    )
    target_level = SelectField(
        _l("Level target"), choices=opts([(i, str(i)) for i in range(1, 6)]), coerce=int, default=3
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.code.choices = competency_choices()

    def is_blank(self) -> bool:
        """True when the row names no competency at all."""
        if self.kind.data == "teknis":
            return not (self.name.data or "").strip()
        return not self.code.data


class NeedForm(Form):
    """Every field of a need (DESIGN.md §2). ``org_id`` choices depend on the user (A07)."""

    nonce = HiddenField(filters=[lambda v: v if isinstance(v, str) and len(v) <= 40 else None])
    version = HiddenField()
    org_id = SelectField(_l("OPD / unit pengusul"), coerce=int, validators=[InputRequired()])
    title = StringField(_l("Judul"), validators=[_required(_l("Judul")), Length(max=200)])
    urusan_code = SelectField(_l("Urusan pemerintahan"), validators=[_required(_l("Urusan"))])
    spm_service_no = SelectField(
        _l("Jenis layanan SPM kesehatan"), coerce=_optional_int, validators=[Optional()]
    )
    affected_service = StringField(
        _l("Layanan publik yang terdampak"), validators=[Optional(), Length(max=200)]
    )
    problem_statement = TextAreaField(
        _l("Uraian masalah"),
        validators=[_required(_l("Uraian masalah")), Length(max=5000)],
    )
    indicator_name = StringField(
        _l("Indikator layanan yang tidak tercapai"),
        validators=[_required(_l("Indikator")), Length(max=300)],
    )
    indicator_unit = StringField(_l("Satuan indikator"), validators=[Optional(), Length(max=40)])
    indicator_baseline = LocaleDecimalField(_l("Kondisi awal"), validators=[Optional()])
    indicator_target = LocaleDecimalField(_l("Target"), validators=[Optional()])
    target_jabatan = StringField(
        _l("Jabatan sasaran"), validators=[_required(_l("Jabatan sasaran")), Length(max=200)]
    )
    asn_affected = LocaleIntegerField(
        _l("Jumlah ASN terdampak"),
        validators=[
            InputRequired(message=_l("Jumlah ASN wajib diisi.")),
            NumberBounds(
                min=1,
                max=1_000_000,
                min_message=_l("Jumlah ASN minimal %(min)s."),
                max_message=_l("Jumlah ASN paling banyak %(max)s."),
            ),
        ],
    )
    urgency = SelectField(
        _l("Tingkat urgensi"),
        choices=opts([("", "—")] + [(k, v) for k, v in labels.URGENCY.items()]),
        validators=[_required(_l("Urgensi"))],
    )
    urgency_justification = TextAreaField(
        _l("Alasan urgensi"),
        validators=[_required(_l("Alasan urgensi")), Length(max=3000)],
    )
    needed_by = DateField(
        _l("Dibutuhkan paling lambat"),
        validators=[Optional()],
        format=["%Y-%m-%d", "%d/%m/%Y"],
        render_kw={"type": "date"},
    )

    def validate_needed_by(self, field):
        """A real date in this century (a typo such as year 0001 is refused)."""
        if field.data and not (2000 <= field.data.year <= 2100):
            raise ValidationError(_l("Tanggal tidak valid."))

    fiscal_year = LocaleIntegerField(
        _l("Tahun anggaran"),
        grouped=False,
        default=lambda: local_today().year + 1,
        validators=[
            InputRequired(message=_l("Tahun anggaran wajib diisi.")),
            NumberRange(min=2020, max=2100, message=_l("Tahun anggaran tidak valid.")),
        ],
    )
    gaps = RowList(FormField(GapForm), min_entries=GAP_ROWS, max_entries=12)

    def __init__(self, *args, org_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.org_id.choices = opts([(o.id, o.name) for o in org_choices])
        self.urusan_code.choices = opts(
            [("", "—")] + [(u.code, f"{u.code} {u.name}") for u in reference.urusan().values()]
        )
        self.spm_service_no.choices = opts(
            [("", "—")]
            + [(no, f"{no}. {name}") for no, name in reference.spm_health_services().items()]
        )

    def validate(self, extra_validators=None):
        """Field validation plus the competency-gap rules, so every error shows at once."""
        ok = super().validate(extra_validators)
        rows = [g.form for g in self.gaps]
        if all(
            not (f.current_level.errors or f.target_level.errors or f.kind.errors) for f in rows
        ):
            errors = gap_errors(self._gap_data())
            if errors:
                apply_errors(self, errors)
                ok = False
        return ok

    def _gap_data(self) -> list[GapData]:
        return [
            GapData(
                kind=g.form.kind.data,
                name=(g.form.name.data or "").strip() or None,
                code=g.form.code.data or None,
                current_level=g.form.current_level.data,
                target_level=g.form.target_level.data,
                row=row,
            )
            for row, g in enumerate(self.gaps)
            if not g.form.is_blank()
        ]

    def to_data(self) -> NeedData:
        """The validated values as :class:`NeedData` (blank gap rows dropped)."""
        gaps = self._gap_data()
        return NeedData(
            org_id=self.org_id.data,
            title=self.title.data.strip(),
            urusan_code=self.urusan_code.data,
            spm_service_no=self.spm_service_no.data,
            affected_service=(self.affected_service.data or "").strip() or None,
            problem_statement=self.problem_statement.data.strip(),
            indicator_name=self.indicator_name.data.strip(),
            indicator_unit=(self.indicator_unit.data or "").strip() or None,
            indicator_baseline=self.indicator_baseline.data,
            indicator_target=self.indicator_target.data,
            target_jabatan=self.target_jabatan.data.strip(),
            asn_affected=self.asn_affected.data,
            urgency=self.urgency.data,
            urgency_justification=self.urgency_justification.data.strip(),
            needed_by=self.needed_by.data,
            fiscal_year=self.fiscal_year.data,
            gaps=gaps,
        )


class TransitionForm(Form):
    """A transition: the version the user loaded, and the comment some actions require."""

    version = HiddenField()
    comment = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=5000)])
