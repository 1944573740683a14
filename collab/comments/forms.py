"""The comment form."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, MultipleFileField, SelectField, TextAreaField

from collab.core.forms import Form, opts


class CommentForm(Form):
    """A comment: Markdown text, who may read it, and optional files (checked by
    :func:`collab.attachments.services.check_uploads`)."""

    version = HiddenField()
    body = TextAreaField(_l("Catatan"))
    visibility = SelectField(
        _l("Dapat dibaca"),
        choices=opts(
            [("shared", _l("Kedua pihak (BKN dan Pemda)")), ("internal", _l("Hanya pihak saya"))]
        ),
        default="shared",
    )
    files = MultipleFileField(_l("Lampiran"))
