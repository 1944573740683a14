"""Forms of the participant panel: nominate one ASN, import a file, confirm or withdraw."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FileField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from collab.core.forms import Form, opts
from collab.participants.services import ParticipantData


def _required(label):
    return DataRequired(message=_l("%(label)s wajib diisi.", label=label))


class NominationForm(Form):
    """One ASN by NIP or NI PPPK; the NIP rules and golongan are checked by the service."""

    nip = StringField(
        _l("NIP / NI PPPK"),
        validators=[_required(_l("NIP")), Length(max=60)],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 60},
    )
    kind = SelectField(
        _l("Jenis ASN"),
        choices=opts(
            [("", _l("Otomatis dari NIP")), ("pns", _l("PNS/CPNS")), ("pppk", _l("PPPK"))]
        ),
        default="",
        validators=[Optional()],
    )
    name = StringField(_l("Nama"), validators=[_required(_l("Nama")), Length(max=200)])
    jabatan = StringField(_l("Jabatan"), validators=[_required(_l("Jabatan")), Length(max=200)])
    unit = StringField(_l("Unit Kerja"), validators=[_required(_l("Unit Kerja")), Length(max=200)])
    golongan = StringField(
        _l("Golongan"),
        validators=[Optional(), Length(max=10)],
        render_kw={"placeholder": "III/b"},
    )

    def validate_nip(self, field):
        """The NIP / NI PPPK rules at once, beside any other missing field (the service checks
        them again with the rest)."""
        from collab.core.i18n import local_today
        from collab.participants.nip import NipError, validate_nip

        if not (field.data or "").strip():
            return
        try:
            validate_nip(field.data, self.kind.data or None, today=local_today())
        except NipError as exc:
            raise ValidationError(exc.message) from exc

    def to_data(self) -> ParticipantData:
        """The entered values for :func:`collab.participants.services.nominate`."""
        return ParticipantData(
            nip=self.nip.data or "",
            name=self.name.data or "",
            jabatan=self.jabatan.data or "",
            unit=self.unit.data or "",
            golongan=self.golongan.data or None,
            kind=self.kind.data or None,
        )


class ImportForm(Form):
    """An XLSX or CSV file of participants (read by :mod:`collab.participants.imports`)."""

    file = FileField(_l("Berkas peserta (XLSX atau CSV)"))


class ParticipantActionForm(Form):
    """Confirm or withdraw: the version of the row (or of the program) the user saw."""

    version = HiddenField()
