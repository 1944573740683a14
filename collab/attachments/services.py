"""Attachments (lampiran) on needs, programs and comments: check, store, list, delete.

An upload is all or nothing. Every file is checked first (size in bytes, type recognised
from the file's *bytes* with :mod:`filetype`, a name whose extension agrees with that type);
only then are the files written under the upload folder with server-made names and their rows
flushed. Files written in a transaction that does not commit are removed again (see
:func:`_end_of_transaction`), so a refused upload or a database failure leaves nothing on disk.
A deleted attachment keeps its row (``deleted_at`` set, for the audit trail); its file is
removed once the deletion is committed.

Who may see an attachment follows its parent: the need, program or comment is loaded through
that module's own visibility rules. None of these functions commits.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import filetype
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from collab.comments.services import add_comment, get_comment, side_of
from collab.core.audit import record_event
from collab.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from collab.extensions import db
from collab.models import Attachment, Comment, Need, Program, Role, User, utcnow
from collab.needs.queries import get_need
from collab.programs.queries import get_program

KINDS = {
    # type recognised by filetype → (stored extension, extensions the name may have)
    "application/pdf": (".pdf", (".pdf",)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        ".docx",
        (".docx",),
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx", (".xlsx",)),
    "image/jpeg": (".jpg", (".jpg", ".jpeg")),
    "image/png": (".png", (".png",)),
}
"""The accepted types, by the MIME type :func:`filetype.guess` gives for the bytes."""

ALLOWED_EXTENSIONS = (".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png")
"""What an upload's name may end with (also the file input's ``accept``)."""

MAX_NAME_LENGTH = 255
"""Longest original name kept for display (characters)."""

_SNIFF_BYTES = 8192  # what filetype reads to recognise a type
_CHUNK = 64 * 1024
_PENDING = "attachments.written"  # session.info key: files written in this transaction
_REMOVE = "attachments.remove"  # session.info key: files to remove once this transaction commits


class FileTooLarge(DomainError):
    """A file over :attr:`Attachment.MAX_BYTES` (HTTP 413)."""

    status = 413


@dataclass
class Upload:
    """One file as received: the name the browser sent and a readable byte stream."""

    filename: str
    stream: IO[bytes]


@dataclass
class _Checked:
    upload: Upload
    name: str
    size: int
    content_type: str
    extension: str


def upload_folder() -> Path:
    """The folder attachments are stored in (``UPLOAD_FOLDER``, default
    ``<instance>/uploads``), created when missing."""
    folder = Path(current_app.config["UPLOAD_FOLDER"]).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def file_path(attachment: Attachment) -> Path:
    """Where an attachment's bytes are on disk (inside :func:`upload_folder`)."""
    return upload_folder() / attachment.stored_name


def clean_filename(name: str | None) -> str:
    """The upload's name made safe for display: only the last path part (``../../a.pdf`` →
    ``a.pdf``, also with backslashes), no control or formatting characters (such as
    right-to-left overrides), surrounding blanks removed, at most :data:`MAX_NAME_LENGTH`
    characters (the extension kept). Returns ``""`` when nothing usable is left."""
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()
    if text in ("", ".", ".."):
        return ""
    if len(text) > MAX_NAME_LENGTH:
        stem, ext = os.path.splitext(text)
        ext = ext[:20]
        text = stem[: MAX_NAME_LENGTH - len(ext)].rstrip() + ext
    return text


def _size_of(stream: IO[bytes]) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def check_uploads(uploads: Iterable[Upload]) -> list[_Checked]:
    """Check every file before anything is written.

    Raises :class:`FileTooLarge` (413) for a file over :attr:`Attachment.MAX_BYTES` bytes,
    :class:`ValidationFailed` (422, errors under ``files``, each naming its file) for too many
    files (more than ``MAX_FILES_PER_UPLOAD``), an empty file, a type other than PDF, DOCX,
    XLSX, JPEG or PNG as recognised from the bytes, or a name whose extension is not one of
    :data:`ALLOWED_EXTENSIONS` or does not agree with the recognised type."""
    uploads = list(uploads)
    limit = current_app.config["MAX_FILES_PER_UPLOAD"]
    if len(uploads) > limit:
        raise ValidationFailed(
            _("Terlalu banyak berkas."),
            {"files": [_("Paling banyak %(n)s berkas sekali unggah.", n=limit)]},
        )
    errors: list[str] = []
    checked: list[_Checked] = []
    for upload in uploads:
        name = clean_filename(upload.filename)
        shown = name or _("(tanpa nama)")
        size = _size_of(upload.stream)
        if size > Attachment.MAX_BYTES:
            raise FileTooLarge(_("Berkas terlalu besar (maks. 10 MB): %(name)s", name=shown))
        if size == 0:
            errors.append(_("%(name)s: berkas kosong.", name=shown))
            continue
        head = upload.stream.read(_SNIFF_BYTES)
        upload.stream.seek(0)
        kind = filetype.guess(head)
        ext = os.path.splitext(name)[1].lower()
        if kind is None or kind.mime not in KINDS or ext not in ALLOWED_EXTENSIONS:
            errors.append(
                _(
                    "%(name)s: jenis berkas tidak diizinkan (hanya PDF, DOCX, XLSX, JPG, PNG).",
                    name=shown,
                )
            )
            continue
        stored_ext, name_exts = KINDS[kind.mime]
        if ext not in name_exts:
            errors.append(
                _(
                    "%(name)s: isi berkas tidak sesuai dengan ekstensi namanya (%(kind)s).",
                    name=shown,
                    kind=stored_ext[1:].upper(),
                )
            )
            continue
        checked.append(_Checked(upload, name, size, kind.mime, stored_ext))
    if errors:
        raise ValidationFailed(_("Berkas tidak dapat diterima."), {"files": errors})
    return checked


def _write(item: _Checked, folder: Path, written: list[Path]) -> tuple[str, str, Path]:
    """Copy one checked upload to a new server-named file; returns (stored name, sha256,
    path) and appends the path to ``written`` as soon as it exists. Never overwrites."""
    stored = secrets.token_hex(16) + item.extension
    path = folder / stored
    digest = hashlib.sha256()
    item.upload.stream.seek(0)
    with open(path, "xb") as out:
        written.append(path)
        _remember(path)
        written = 0
        while chunk := item.upload.stream.read(_CHUNK):
            written += len(chunk)
            if written > Attachment.MAX_BYTES:  # the stream grew after the check
                raise FileTooLarge(
                    _("Berkas terlalu besar (maks. 10 MB): %(name)s", name=item.name)
                )
            digest.update(chunk)
            out.write(chunk)
    return stored, digest.hexdigest(), path


def _remember(path: Path) -> None:
    db.session.info.setdefault(_PENDING, []).append(path)


def _entity(parent: Need | Program | Comment) -> tuple[str, int]:
    if isinstance(parent, Need):
        return "need", parent.id
    if isinstance(parent, Program):
        return "program", parent.id
    return "comment", parent.id


def _store(actor: User, parent: Need | Program | Comment, checked: list[_Checked]):
    folder = upload_folder()
    entity_type, entity_id = _entity(parent)
    rows = []
    written: list[Path] = []
    try:
        rows = _store_rows(actor, entity_type, entity_id, checked, folder, written)
    except BaseException:
        _unlink(written)  # also removed on rollback; here at once, whatever the caller does
        raise
    return rows


def _store_rows(actor, entity_type, entity_id, checked, folder, written) -> list[Attachment]:
    rows = []
    for item in checked:
        stored, sha, _ = _write(item, folder, written)
        row = Attachment(
            entity_type=entity_type,
            entity_id=entity_id,
            original_name=item.name,
            stored_name=stored,
            content_type=item.content_type,
            size=item.size,
            sha256=sha,
            uploaded_by_id=actor.id,
            side=side_of(actor),
        )
        row.uploaded_by = actor
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    record_event(
        actor,
        entity_type,
        entity_id,
        "upload_attachment",
        comment=", ".join(r.original_name for r in rows),
        data={"attachment_ids": [r.id for r in rows]},
    )
    db.session.flush()
    return rows


def add_attachments(
    actor: User, parent: Need | Program | Comment, uploads: Iterable[Upload]
) -> list[Attachment]:
    """Attach files to a need, program or comment the actor can see (the caller loaded
    ``parent`` through the visibility rules): all of them or none.

    Checks every file first (:func:`check_uploads`: :class:`FileTooLarge`,
    :class:`ValidationFailed`), then writes them and flushes their rows and one
    ``upload_attachment`` audit event on the parent. Raises :class:`ValidationFailed` when no
    file was given and :class:`NotAllowed` for admins (they take no business action). Files
    written here are removed again if the transaction does not commit."""
    if actor.role == Role.ADMIN:
        raise NotAllowed(_("Administrator tidak mengunggah lampiran."))
    checked = check_uploads(uploads)
    if not checked:
        raise ValidationFailed(_("Pilih berkas."), {"files": [_("Pilih minimal satu berkas.")]})
    return _store(actor, parent, checked)


def add_comment_with_attachments(
    actor: User,
    parent: Need | Program,
    body: str,
    visibility: str,
    uploads: Iterable[Upload],
) -> Comment:
    """Post a comment with optional files in one transaction (all or nothing).

    Raises :class:`ValidationFailed` with the body's and the files' errors together (the text
    field under ``body``, the files under ``files``), :class:`FileTooLarge` for a file over
    :attr:`Attachment.MAX_BYTES` bytes, :class:`NotAllowed` for admins."""
    uploads = list(uploads)
    file_errors: dict[str, list[str]] = {}
    checked: list[_Checked] = []
    try:
        checked = check_uploads(uploads)
    except ValidationFailed as exc:
        file_errors = exc.errors
    try:
        comment = add_comment(actor, parent, body, visibility)
    except ValidationFailed as exc:
        exc.errors.update(file_errors)
        raise
    if file_errors:
        raise ValidationFailed(_("Berkas tidak dapat diterima."), file_errors)
    if checked:
        _store(actor, comment, checked)
    return comment


def list_attachments(parent: Need | Program) -> list[Attachment]:
    """The parent's attachments not deleted, oldest first (one statement). The caller loaded
    ``parent`` through the visibility rules."""
    entity_type, entity_id = _entity(parent)
    stmt = (
        sa.select(Attachment)
        .where(
            Attachment.entity_type == entity_type,
            Attachment.entity_id == entity_id,
            Attachment.deleted_at.is_(None),
        )
        .order_by(Attachment.id)
    )
    return list(db.session.scalars(stmt).unique())


def comment_attachments(comments: Iterable[Comment]) -> dict[int, list[Attachment]]:
    """Attachments of the given (already visibility-checked) comments by comment id, oldest
    first; deleted ones and those of deleted comments are left out (one statement)."""
    ids = [c.id for c in comments if c.deleted_at is None]
    out: dict[int, list[Attachment]] = {}
    if not ids:
        return out
    stmt = (
        sa.select(Attachment)
        .where(
            Attachment.entity_type == "comment",
            Attachment.entity_id.in_(ids),
            Attachment.deleted_at.is_(None),
        )
        .order_by(Attachment.id)
    )
    for att in db.session.scalars(stmt).unique():
        out.setdefault(att.entity_id, []).append(att)
    return out


def get_parent(viewer: User, entity_type: str, entity_id: int) -> Need | Program | Comment:
    """The need, program or comment if ``viewer`` may see it (a comment also through its own
    parent); :class:`NotFound` otherwise, also for a deleted comment."""
    if entity_type == "need":
        return get_need(viewer, entity_id, with_gaps=False)
    if entity_type == "program":
        return get_program(viewer, entity_id)
    comment = get_comment(viewer, entity_id)
    if comment.deleted_at is not None:
        raise NotFound(_("Lampiran tidak ditemukan."))
    get_parent(viewer, comment.entity_type, comment.entity_id)
    return comment


def get_attachment(viewer: User, attachment_id: int) -> Attachment:
    """An attachment not deleted whose parent ``viewer`` may see; :class:`NotFound` otherwise
    (another Pemda's need, the other side's internal comment, a deleted one)."""
    att = db.session.get(Attachment, attachment_id)
    if att is None or att.deleted_at is not None:
        raise NotFound(_("Lampiran tidak ditemukan."))
    get_parent(viewer, att.entity_type, att.entity_id)
    return att


def delete_attachment(actor: User, attachment: Attachment) -> Attachment:
    """Delete one's own attachment: the row stays with ``deleted_at`` set and a
    ``delete_attachment`` audit event on its parent; the file is removed from disk once the
    transaction commits. Raises :class:`NotAllowed` for anyone but the uploader."""
    if attachment.uploaded_by_id != actor.id:
        raise NotAllowed(_("Hanya pengunggah yang dapat menghapus lampirannya."))
    if attachment.deleted_at is None:
        record_event(
            actor,
            attachment.entity_type,
            attachment.entity_id,
            "delete_attachment",
            comment=attachment.original_name,
            data={"attachment_id": attachment.id},
        )
        _soft_delete(attachment)
        db.session.flush()
    return attachment


def delete_comment_attachments(comment: Comment) -> None:
    """Soft-delete the attachments of a deleted comment (their files go after commit)."""
    stmt = sa.select(Attachment).where(
        Attachment.entity_type == "comment",
        Attachment.entity_id == comment.id,
        Attachment.deleted_at.is_(None),
    )
    for att in db.session.scalars(stmt).unique():
        _soft_delete(att)


def _soft_delete(attachment: Attachment) -> None:
    attachment.deleted_at = utcnow()
    db.session.info.setdefault(_REMOVE, []).append(file_path(attachment))


def _unlink(paths: Iterable[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:  # pragma: no cover - logged, never fatal
            current_app.logger.warning("could not remove %s", path)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    """Committed: files written in the transaction stay, files of deleted attachments go."""
    session.info.pop(_PENDING, None)
    _unlink(session.info.pop(_REMOVE, ()))


@event.listens_for(Session, "after_transaction_end")
def _end_of_transaction(session: Session, transaction) -> None:
    """A transaction that ended without commit (rollback, close): remove the files written
    in it, keep those of attachments whose deletion was not committed."""
    if transaction.parent is not None or transaction.nested:
        return
    _unlink(session.info.pop(_PENDING, ()))
    session.info.pop(_REMOVE, None)
