"""Form helpers: Indonesian messages for WTForms' built-in errors, locale-aware numbers."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, FieldList
from wtforms.fields import DecimalField, IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation, ValidationError
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
    "Field cannot be longer than %(max)d character.": _l("Maksimal %(max)d karakter."),
    "Field cannot be longer than %(max)d characters.": _l("Maksimal %(max)d karakter."),
    "Field must be at least %(min)d character long.": _l("Minimal %(min)d karakter."),
    "Field must be at least %(min)d characters long.": _l("Minimal %(min)d karakter."),
    "Field must be between %(min)d and %(max)d characters long.": _l(
        "Panjang isian %(min)d–%(max)d karakter."
    ),
    "Number must be at least %(min)s.": _l("Angka minimal %(min)s."),
    "Number must be at most %(max)s.": _l("Angka maksimal %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Angka harus antara %(min)s dan %(max)s."),
    "Invalid input.": _l("Isian tidak valid."),
    "Not a valid datetime value.": _l("Tanggal dan jam tidak valid."),
    "Invalid choice(s): one or more data inputs could not be coerced.": _l("Pilihan tidak valid."),
    "'%(value)s' is not a valid choice for this field.": _l("Pilihan tidak valid."),
    "'%(value)s' are not valid choices for this field.": _l("Pilihan tidak valid."),
}

_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
_CONTROL[0x7F] = None
# Unicode noncharacters (U+FDD0–U+FDEF, U+xFFFE/U+xFFFF) and lone surrogates: never text a
# person means, and XML (XLSX, e-mail headers) cannot hold some of them.
_CONTROL.update(dict.fromkeys(range(0xFDD0, 0xFDF0)))
_CONTROL.update(dict.fromkeys(range(0xD800, 0xE000)))
_CONTROL.update(dict.fromkeys(p * 0x10000 + n for p in range(17) for n in (0xFFFE, 0xFFFF)))


def clean_text(value):
    """Drop NUL and other control characters, Unicode noncharacters and lone surrogates (never
    meaningful in a form; PostgreSQL refuses NUL, XML the others) and normalise line endings;
    non-strings pass through."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").translate(_CONTROL)
    return value


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
    """Form ``Meta`` that translates built-in messages through our catalogue and cleans control
    characters out of every text field."""

    def get_translations(self, form):
        return _Translations()

    def bind_field(self, form, unbound_field, options):
        from wtforms.fields import FormField

        if not issubclass(unbound_field.field_class, (FieldList, FormField)):
            filters = unbound_field.kwargs.get("filters", ())
            if clean_text not in filters:
                unbound_field.kwargs["filters"] = (clean_text, *filters)
        return unbound_field.bind(form=form, **options)


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
            raise ValidationError(self.message or str(exc)) from exc


_SIGNS = {"-": "-", "+": "", "\u2212": "-"}  # hyphen-minus, plus, MINUS SIGN
_SPACES = (" ", "\u00a0", "\u202f")  # space, no-break space, narrow no-break space


def _locale_symbols() -> tuple[str, str, str]:
    """``(locale, group symbol, decimal symbol)`` of the request: ``("id", ".", ",")``."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    locale = str(get_locale() or "id")
    return locale, get_group_symbol(locale), get_decimal_symbol(locale)


def parse_locale_number(text: str, *, whole: bool = False) -> Decimal:
    """Parse ``text`` as a number in the request's locale: ``1.250.000`` or ``12,5`` in id,
    ``1,250,000`` or ``12.5`` in en; spaces and no-break spaces may stand for the group
    separator (``1 250 000``) and a leading ``-``/``+`` is allowed. Only (Unicode) decimal
    digits and the locale's own group and decimal symbols may appear otherwise, so exponents
    (``1e5``) and Python's underscores (``1_000``) are refused; grouping is checked strictly
    (``12.5`` in id, ``12,5`` in en are errors, not other numbers). With ``whole=True`` any
    decimal mark is refused (``1,000`` in id is not one thousand, nor one).

    Returns the exact value (never rounded; ``-0`` is returned as ``0``). Raises
    ``ValueError`` on anything else, including text longer than 40 characters."""
    text = text.strip()
    if len(text) > 40:
        raise ValueError("too long")
    locale, group, decimal = _locale_symbols()
    sign = ""
    if text[:1] in _SIGNS:
        sign, text = _SIGNS[text[0]], text[1:].lstrip()
    for space in _SPACES:
        text = text.replace(space, group)
    if not text or any(not (c.isdecimal() or c in (group, decimal)) for c in text):
        raise ValueError("not a number in this locale")
    if whole and decimal in text:
        raise ValueError("not a whole number")
    try:
        value = parse_decimal(sign + text, locale=locale, strict=True)
    except (NumberFormatError, ArithmeticError) as exc:
        raise ValueError(str(exc)) from exc
    if not value.is_finite():
        raise ValueError("not a finite number")
    return value.copy_abs() if value.is_zero() else value


class NumberBounds:
    """WTForms validator: ``min`` ≤ number ≤ ``max`` (either may be None), with a message for
    each side, since "must not be negative" is false for a number that is too large.
    Messages may use ``%(min)s`` and ``%(max)s``, shown with ``fmt`` (default: the locale's
    grouped number, :func:`collab.core.i18n.format_number`)."""

    def __init__(self, min=None, max=None, *, min_message, max_message, fmt=None):  # noqa: A002
        self.min, self.max = min, max
        self.min_message, self.max_message = min_message, max_message
        self.fmt = fmt

    def __call__(self, form, field):
        from collab.core.i18n import format_number

        value = field.data
        if value is None:
            return
        fmt = self.fmt or format_number
        params = {"min": fmt(self.min), "max": fmt(self.max)}
        if self.min is not None and value < self.min:
            raise ValidationError(str(self.min_message) % params)
        if self.max is not None and value > self.max:
            raise ValidationError(str(self.max_message) % params)


class LocaleDecimalField(DecimalField):
    """A decimal field reading the user's locale (see :func:`parse_locale_number`); empty
    input is None. Rendered as text with a decimal keypad, since ``type=number`` refuses
    ``12,5`` in many browsers, and without grouping (``1250``, ``12,5`` / ``12.5``), so that a
    form shown in one language and posted after switching to the other is either read the same
    or refused, never read as another number.

    ``places``: the most digits after the decimal mark the column holds (default 2, for
    NUMERIC(14, 2)); more are refused, never rounded. ``max_abs``: the value must be smaller
    in magnitude (default 10^12, what NUMERIC(14, 2) holds); checked on the exact value that is
    stored."""

    widget = TextInput()

    def __init__(self, *args, places=2, max_abs=10**12, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(*args, places=places, **kwargs)
        self.max_abs = max_abs

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        from collab.core.i18n import format_number_input

        return format_number_input(self.data, self.places)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = None
        try:
            value = parse_locale_number(valuelist[0])
        except ValueError as exc:
            raise ValueError(str(_l("Harus berupa angka."))) from exc
        if value.as_tuple().exponent < -self.places:
            raise ValueError(_("Paling banyak %(n)s angka di belakang koma.", n=self.places))
        if abs(value) >= self.max_abs:  # the exact value stored: nothing is rounded above
            raise ValueError(str(_l("Angka terlalu besar.")))
        self.data = value

    def pre_validate(self, form):
        if self.process_errors:  # a number that could not be read: one message is enough
            raise StopValidation()


class LocaleIntegerField(IntegerField):
    """A whole-number field reading the user's locale grouping (``1.250.000`` in id,
    ``1,250,000`` in en, see :func:`parse_locale_number`); empty input is None. Text with the
    locale's decimal mark is refused (``1,000`` in id, ``1.000`` in en): it is never read as a
    fraction or as a foreign grouping. A stored value is shown grouped the same way, except
    with ``grouped=False`` (years, scores); shown in one language and posted in the other, a
    grouped value is refused, since the group symbol of one is the decimal mark of the other."""

    widget = TextInput()

    def __init__(self, *args, grouped=True, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(*args, **kwargs)
        self.grouped = grouped

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None or not self.grouped:
            return super()._value()
        from collab.core.i18n import format_number

        return format_number(self.data)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = None
        try:
            value = parse_locale_number(valuelist[0], whole=True)
        except ValueError as exc:
            raise ValueError(str(_l("Harus berupa bilangan bulat."))) from exc
        if value != value.to_integral_value() or abs(value) > 10**15:
            raise ValueError(str(_l("Harus berupa bilangan bulat.")))
        self.data = int(value)

    def pre_validate(self, form):
        if self.process_errors:  # a number that could not be read: one message is enough
            raise StopValidation()


class RowList(FieldList):
    """A ``FieldList`` that ignores row indices that are not plain ASCII digits (WTForms would
    crash on ``gaps-²-name``) and remembers nothing else."""

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                index = key[offset:].split(self._field_separator, 1)[0]
                if index.isascii() and index.isdigit() and len(index) < 6:
                    yield int(index)


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
    form._errors = None  # WTForms caches form.errors; recompute with these


def keep_after_conflict(form: FlaskForm, message: str, current_version: int) -> None:
    """After a stale save: say so at the top of the form, keep what the user typed, and carry
    the current version so that saving again knowingly replaces the newer data."""
    from flask_babel import gettext

    form.version.data = current_version
    form.form_errors.append(message)
    form.form_errors.append(
        gettext("Isian Anda di bawah belum tersimpan. Periksa data terbaru, lalu simpan lagi.")
    )
