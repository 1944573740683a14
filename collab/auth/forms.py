"""Login form."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from collab.core.forms import Form


class LoginForm(Form):
    """E-mail and password, with remember-me."""

    email = EmailField(
        _l("Email"), validators=[DataRequired(message=_l("Email wajib diisi.")), Length(max=254)]
    )
    password = PasswordField(
        _l("Kata sandi"), validators=[DataRequired(message=_l("Kata sandi wajib diisi."))]
    )
    remember = BooleanField(_l("Ingat saya di perangkat ini"))
