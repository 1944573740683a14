"""The e-mail preferences form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from collab.core.forms import Form

KIND_LABELS = {
    "transition": _l("Perubahan status usulan dan program"),
    "sign_off": _l("Keputusan persetujuan (setuju, minta revisi, tolak)"),
    "comment": _l("Catatan baru pada usulan atau program saya"),
    "mention": _l("Nama saya disebut dalam catatan (@nama)"),
    "sla": _l("Pengingat tenggat dan keterlambatan"),
}
"""Label per preference kind (:data:`collab.notifications.rules.KINDS`)."""


class EmailPreferencesForm(Form):
    """One checkbox per kind: e-mail on (checked) or off."""

    transition = BooleanField(KIND_LABELS["transition"])
    sign_off = BooleanField(KIND_LABELS["sign_off"])
    comment = BooleanField(KIND_LABELS["comment"])
    mention = BooleanField(KIND_LABELS["mention"])
    sla = BooleanField(KIND_LABELS["sla"])
