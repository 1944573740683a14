"""The scores row: pre/post-test 0–100 (whole numbers, blank = not yet recorded; digits only,
no ``1_00`` or ``1e2``, see :class:`collab.core.forms.LocaleIntegerField`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields import FileField, HiddenField
from wtforms.validators import NumberRange, Optional

from collab.core.forms import Form, LocaleIntegerField


class ScoreForm(Form):
    """One participant's L2 scores and the participant's ``version`` the row was loaded at."""

    pre_score = LocaleIntegerField(
        _l("Pre-test"), grouped=False, validators=[Optional(), NumberRange(min=0, max=100)]
    )
    post_score = LocaleIntegerField(
        _l("Post-test"), grouped=False, validators=[Optional(), NumberRange(min=0, max=100)]
    )
    version = HiddenField()


class ScoreImportForm(Form):
    """An XLSX or CSV file of scores and attendance (read by :mod:`collab.attendance.imports`)."""

    file = FileField(_l("Berkas nilai & presensi (XLSX atau CSV)"))
