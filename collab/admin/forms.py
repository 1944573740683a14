"""Admin forms for organisations and accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from collab import labels
from collab.core.forms import EmailAddress, Form, opts
from collab.reference import TIMEZONES, region_names


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class OrganizationForm(Form):
    """Create or edit an organisation. Choices are filled by the view."""

    version = HiddenField()
    name = StringField(
        _l("Nama"), validators=[DataRequired(message=_l("Nama wajib diisi.")), Length(max=200)]
    )
    kind = SelectField(_l("Jenis"), choices=opts([(k, v) for k, v in labels.ORG_KIND.items()]))
    parent_id = SelectField(_l("Induk"), coerce=_optional_int, validators=[Optional()])
    region_code = SelectField(_l("Kode wilayah (Kemendagri)"), validators=[Optional()])
    timezone = SelectField(_l("Zona waktu"))
    active = BooleanField(_l("Aktif"), default=True)

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_id.choices = opts([("", "—")] + [(o.id, o.name) for o in parents])
        self.region_code.choices = opts(
            [("", "—")]
            + [(code, f"{code} {name}") for code, name in sorted(region_names().items())]
        )
        self.timezone.choices = opts([(z, f"{abbr} ({z})") for z, abbr in TIMEZONES.items()])


class UserForm(Form):
    """Create or edit an account; the password is required only when creating."""

    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(message=_l("Email wajib diisi.")),
            EmailAddress(message=_l("Alamat email tidak valid.")),
            Length(max=254),
        ],
    )
    name = StringField(
        _l("Nama lengkap"),
        validators=[DataRequired(message=_l("Nama wajib diisi.")), Length(max=200)],
    )
    nip = StringField(
        _l("NIP"),
        validators=[Optional(), Regexp(r"^\d{18}$", message=_l("NIP terdiri dari 18 angka."))],
    )
    role = SelectField(_l("Peran"), choices=opts([(k, v) for k, v in labels.ROLE.items()]))
    org_id = SelectField(
        _l("Organisasi"),
        coerce=_optional_int,
        validators=[DataRequired(message=_l("Organisasi wajib dipilih."))],
    )
    locale = SelectField(
        _l("Bahasa"), choices=opts([("id", "Bahasa Indonesia"), ("en", "English")])
    )
    password = PasswordField(_l("Kata sandi"), validators=[Length(max=200)])
    active = BooleanField(_l("Aktif"), default=True)

    def __init__(self, *args, orgs=(), creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        self.org_id.choices = opts([("", "—")] + [(o.id, o.name) for o in orgs])
        if creating:
            self.password.flags.required = True  # shown with * on a new account

    def validate_password(self, field):
        """A new account needs a password (an existing one keeps its own when left empty)."""
        if self.creating and not field.data:
            raise ValidationError(_l("Kata sandi wajib diisi."))
