"""Form helpers: Indonesian messages for WTForms' built-in errors, locale-aware numbers."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.fields import DecimalField, IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta
from wtforms.widgets import TextInput

_BUILTIN = {
    "This field is required.": _l("Isian ini wajib diisi."),
    "Not a valid choice.": _l("Pilihan tidak valid."),
    "Invalid Choice: could not coerce.": _l("Pilihan tidak valid."),
    "Not a valid integer value.": _l("Harus berupa bilangan bulat."),
    "Not a valid decimal value.": _l("Harus berupa angka."),
    "Not a valid date value.": _l("Tanggal tidak valid."),
    "Invalid email address.": _l("Alamat email tidak valid."),
    "The CSRF token is missing.": _l("Formulir kedaluwarsa; silakan kirim ulang."),
    "The CSRF token is invalid.": _l("Formulir kedaluwarsa; silakan kirim ulang."),
    "The CSRF token has expired.": _l("Formulir kedaluwarsa; silakan kirim ulang."),
    "The CSRF tokens do not match.": _l("Formulir kedaluwarsa; silakan kirim ulang."),
}


def opts(pairs) -> list[SelectChoice]:
    """``[(value, label), ...]`` as WTForms ``SelectChoice`` objects."""
    return [SelectChoice(value, label) for value, label in pairs]


class _Translations:
    """Maps WTForms' English built-in messages to our catalogue (WTForms ships no ``id``)."""

    def gettext(self, string):
        return str(_BUILTIN.get(string, string))

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


class FormMeta(DefaultMeta):
    """Form ``Meta`` that translates built-in messages through our catalogue."""

    def get_translations(self, form):
        return _Translations()


class Form(FlaskForm):
    """Base form of the app: CSRF from Flask-WTF, messages from our catalogue."""

    class Meta(FormMeta):
        pass


class EmailAddress:
    """WTForms validator for an e-mail address (syntax only, no DNS look-up). Accepts the
    ``.test`` domains of the demo accounts, which strict validators refuse."""

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field):
        from email_validator import EmailNotValidError, validate_email

        if not field.data:
            return
        try:
            validate_email(field.data, check_deliverability=False, test_environment=True)
        except EmailNotValidError as exc:
            raise ValueError(self.message or str(exc)) from exc


def parse_locale_number(text: str) -> Decimal:
    """Parse ``text`` as a number in the request's locale (``1.250.000`` or ``12,5`` in id,
    ``1,250,000`` in en). Raises ``ValueError`` on anything else."""
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    try:
        return parse_decimal(text, locale=str(get_locale() or "id"), strict=True)
    except NumberFormatError as exc:
        raise ValueError(str(exc)) from exc


class LocaleDecimalField(DecimalField):
    """A decimal field reading the user's locale grouping; empty input is None. Rendered as
    text with a decimal keypad, since ``type=number`` refuses ``12,5`` in many browsers."""

    widget = TextInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(*args, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        from collab.core.i18n import format_number

        return format_number(self.data)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_locale_number(valuelist[0])
        except ValueError as exc:
            self.data = None
            raise ValueError(self.gettext("Harus berupa angka.")) from exc


class LocaleIntegerField(IntegerField):
    """A whole-number field reading the user's locale grouping; empty input is None."""

    widget = TextInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            value = parse_locale_number(valuelist[0])
        except ValueError as exc:
            self.data = None
            raise ValueError(self.gettext("Harus berupa bilangan bulat.")) from exc
        if value != value.to_integral_value() or abs(value) > 10**15:
            self.data = None
            raise ValueError(self.gettext("Harus berupa bilangan bulat."))
        self.data = int(value)


def apply_errors(form: FlaskForm, errors: dict[str, list[str]]) -> None:
    """Attach service-layer field errors (``gaps-0-target_level`` style keys) to the form;
    errors for unknown fields go to ``form.form_errors``."""
    for key, messages in errors.items():
        field: Field | None = None
        try:
            field = form[key]
        except KeyError:
            parts = key.split("-")
            if len(parts) == 3 and parts[0] in form._fields:
                try:
                    field = form[parts[0]][int(parts[1])][parts[2]]
                except (KeyError, IndexError, ValueError):
                    field = None
        if field is None:
            form.form_errors.extend(messages)
        else:
            field.errors = list(field.errors) + list(messages)
