"""The upload form."""

from flask_babel import lazy_gettext as _l
from wtforms import MultipleFileField

from collab.core.forms import Form


class AttachmentForm(Form):
    """One or more files (``<input type=file multiple name=files>``); the files themselves
    are checked by :func:`collab.attachments.services.check_uploads`."""

    files = MultipleFileField(_l("Lampiran"))
