"""Login and profile forms."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField
from wtforms.validators import DataRequired, Length

from collab.core.forms import Form, opts
from collab.reference import TIMEZONES


class LoginForm(Form):
    """E-mail and password, with remember-me."""

    email = EmailField(
        _l("Email"), validators=[DataRequired(message=_l("Email wajib diisi.")), Length(max=254)]
    )
    password = PasswordField(
        _l("Kata sandi"), validators=[DataRequired(message=_l("Kata sandi wajib diisi."))]
    )
    remember = BooleanField(_l("Ingat saya di perangkat ini"))


class ProfileForm(Form):
    """The signed-in user's own display settings: language and time zone (empty: the
    organisation's zone)."""

    locale = SelectField(
        _l("Bahasa tampilan"), choices=opts([("id", "Bahasa Indonesia"), ("en", "English")])
    )
    timezone = SelectField(_l("Zona waktu"))

    def __init__(self, *args, org_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        follow = _l(
            "Ikuti organisasi: %(abbr)s (%(zone)s)", abbr=TIMEZONES.get(org_zone), zone=org_zone
        )
        self.timezone.choices = opts(
            [("", follow)] + [(z, f"{abbr} ({z})") for z, abbr in TIMEZONES.items()]
        )


class PasswordChangeForm(Form):
    """The signed-in user's own password change (the rules live in
    :func:`collab.auth.services.change_password`)."""

    current_password = PasswordField(_l("Kata sandi saat ini"), validators=[Length(max=200)])
    new_password = PasswordField(
        _l("Kata sandi baru (minimal 12 karakter)"), validators=[Length(max=200)]
    )
    confirm_password = PasswordField(_l("Ulangi kata sandi baru"), validators=[Length(max=200)])
