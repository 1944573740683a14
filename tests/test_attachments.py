"""Attachments on needs, programs and comments: type from the bytes, all or nothing, sizes
(A08), safe names and downloads (A15), who may download, deletion, and no file left behind
when the database fails."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from collab.extensions import db
from collab.models import Attachment, AuditEvent, Comment
from collab.seed import demo_pdf

MIB = 1024 * 1024
HX = {"HX-Request": "true"}


def pdf(text="Laporan kegiatan") -> bytes:
    return demo_pdf(text)


def _ooxml(part: str, main: str) -> bytes:
    """A small real Office Open XML package (what Word or Excel writes, minus content)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="xml" ContentType="application'
            '/xml"/></Types>',
        )
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        z.writestr(f"{part}/{main}", '<?xml version="1.0"?><root/>')
    return buf.getvalue()


def docx() -> bytes:
    return _ooxml("word", "document.xml")


def xlsx() -> bytes:
    return _ooxml("xl", "workbook.xml")


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def upload(client, url, *items, htmx=True, **fields):
    """POST ``fields`` and the files ``(name, bytes)`` as one multipart request. Every file is
    declared ``application/pdf``: the app must judge by the bytes. The body is built in
    memory (the test client's own encoder leaves a temporary file open for big bodies)."""
    values = MultiDict(fields)
    for name, data in items:
        values.add(
            "files", FileStorage(io.BytesIO(data), filename=name, content_type="application/pdf")
        )
    boundary, body = encode_multipart(values)
    headers = dict(HX) if htmx else {}
    return client.post(
        url,
        data=body,
        headers=headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def fetch(client, url):
    """GET a download and close it (the body is read first)."""
    resp = client.get(url)
    resp.get_data()
    resp.close()
    return resp


def stored(app) -> list[Path]:
    """Every file in the upload folder (and below)."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def rows(app) -> list[Attachment]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Attachment).order_by(Attachment.id)))


def comment_count(app) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(Comment).where(Comment.transition.is_(None))
        )


# --- A08 — sizes and all-or-nothing ---------------------------------------------------------


@pytest.mark.parametrize("htmx", [True, False])
def test_A08_oversized_upload_413(world, client, login, app, htmx):
    login(client, world.officer_ptk)
    big = b"%PDF-1.4\n" + b"0" * (11 * MIB)
    resp = upload(client, f"/needs/{world.n1.id}/attachments", ("besar.pdf", big), htmx=htmx)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 413
    assert "Berkas terlalu besar (maks. 10 MB)" in html and "besar.pdf" in html
    if htmx:
        assert "<html" not in html and resp.headers["HX-Retarget"] == "#messages"
    else:
        assert "<html" in html and 'id="messages"' in html  # the page with the layout
    assert rows(app) == [] and stored(app) == []


def test_A08_oversized_file_in_a_comment_saves_nothing(world, client, login, app):
    login(client, world.officer_ptk)
    big = b"%PDF-1.4\n" + b"0" * (10 * MIB + 1)
    resp = upload(
        client,
        f"/needs/{world.n1.id}/comments",
        ("kecil.pdf", pdf()),
        ("besar.pdf", big),
        body="Dengan lampiran",
        visibility="shared",
    )
    assert resp.status_code == 413
    assert "Berkas terlalu besar (maks. 10 MB)" in resp.get_data(as_text=True)
    assert rows(app) == [] and stored(app) == [] and comment_count(app) == 0


def test_A08_exactly_10_mib_is_accepted(world, client, login, app):
    login(client, world.officer_ptk)
    data = pdf() + b"\n" + b"0" * (10 * MIB - len(pdf()) - 1)
    assert len(data) == 10 * MIB
    resp = upload(client, f"/needs/{world.n1.id}/attachments", ("pas.pdf", data))
    assert resp.status_code == 200
    assert [r.size for r in rows(app)] == [10 * MIB] and len(stored(app)) == 1


@pytest.mark.parametrize("htmx", [True, False])
def test_A08_request_over_max_content_length_is_app_styled(world, client, login, app, htmx):
    app.config["MAX_CONTENT_LENGTH"] = 2 * MIB  # same handler as the real 51 MiB limit
    login(client, world.officer_ptk)
    resp = upload(
        client, f"/needs/{world.n1.id}/attachments", ("a.pdf", pdf() + b"0" * 3 * MIB), htmx=htmx
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 413
    assert "Berkas terlalu besar (maks. 10 MB)" in html
    assert "Request Entity Too Large" not in html
    assert ("<html" in html) is not htmx
    assert rows(app) == [] and stored(app) == []


@pytest.mark.parametrize("htmx", [True, False])
def test_A08_url_encoded_field_of_600_kb_is_app_styled_413(world, client, login, app, htmx):
    login(client, world.officer_ptk)
    resp = client.post(
        f"/needs/{world.n1.id}/comments",
        data={"body": "x" * 600_000, "visibility": "shared"},
        headers=HX if htmx else {},
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 413
    assert "Berkas terlalu besar (maks. 10 MB)" in html
    assert "Request Entity Too Large" not in html
    assert ("<html" in html and "Kesalahan 413" in html) is not htmx
    assert comment_count(app) == 0


def test_A08_multipart_text_field_of_600_kb_is_app_styled_413(world, client, login, app):
    login(client, world.officer_ptk)
    resp = upload(
        client,
        f"/needs/{world.n1.id}/comments",
        ("a.pdf", pdf()),
        body="x" * 600_000,
        visibility="shared",
    )
    assert resp.status_code == 413
    assert "Berkas terlalu besar (maks. 10 MB)" in resp.get_data(as_text=True)
    assert comment_count(app) == 0 and rows(app) == [] and stored(app) == []


def test_A08_comment_over_length_limit_422_names_limit(world, client, login, app):
    login(client, world.officer_ptk)
    resp = upload(
        client,
        f"/needs/{world.n1.id}/comments",
        ("a.pdf", pdf()),
        body="y" * 20_001,
        visibility="shared",
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "paling panjang 20.000 karakter" in html
    assert comment_count(app) == 0 and rows(app) == [] and stored(app) == []


def test_A08_wrong_type_among_several_saves_nothing(world, client, login, app):
    login(client, world.officer_ptk)
    resp = upload(
        client,
        f"/needs/{world.n1.id}/attachments",
        ("a.pdf", pdf()),
        ("b.docx", docx()),
        ("c.exe", EXE),
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "<html" not in html
    assert "c.exe: jenis berkas tidak diizinkan" in html
    assert "a.pdf:" not in html and "b.docx:" not in html
    assert 'id="attachment-files" name="files"' in html and "is-invalid" in html
    assert rows(app) == [] and stored(app) == []


def test_A08_wrong_type_in_a_comment_keeps_the_text(world, client, login, app):
    login(client, world.officer_ptk)
    resp = upload(
        client,
        f"/needs/{world.n1.id}/comments",
        ("a.pdf", pdf()),
        ("c.exe", EXE),
        body="Teks yang **tetap** ada",
        visibility="internal",
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "c.exe: jenis berkas tidak diizinkan" in html
    assert "Teks yang **tetap** ada</textarea>" in html
    assert '<option selected value="internal">' in html or 'value="internal" selected' in html
    assert comment_count(app) == 0 and rows(app) == [] and stored(app) == []


def test_A08_two_pdfs_make_two_attachments(world, client, login, app):
    login(client, world.officer_ptk)
    resp = upload(
        client, f"/needs/{world.n1.id}/attachments", ("a.pdf", pdf("A")), ("b.pdf", pdf("B"))
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'id="attachments-panel"' in html
    assert "2 lampiran diunggah." in html and "a.pdf" in html and "b.pdf" in html
    assert resp.headers["HX-Trigger"] == "need-changed"
    got = rows(app)
    assert [r.original_name for r in got] == ["a.pdf", "b.pdf"]
    assert {r.content_type for r in got} == {"application/pdf"}
    assert len(stored(app)) == 2
    with app.app_context():
        ev = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "upload_attachment")
        ).one()
        assert (ev.entity_type, ev.entity_id, ev.comment) == ("need", world.n1.id, "a.pdf, b.pdf")
    page = client.get(f"/needs/{world.n1.id}").get_data(as_text=True)
    assert "mengunggah lampiran" in page  # the timeline's label
    assert "Lampiran" in page and "a.pdf" in page


def test_plain_form_upload_redirects_to_the_panel(world, client, login, app):
    login(client, world.officer_ptk)
    resp = upload(client, f"/needs/{world.n1.id}/attachments", ("a.pdf", pdf()), htmx=False)
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(f"/needs/{world.n1.id}#attachments-panel")
    assert len(rows(app)) == 1


def test_upload_without_a_file_is_422(world, client, login, app):
    login(client, world.officer_ptk)
    resp = upload(client, f"/needs/{world.n1.id}/attachments", ("", b""))
    assert resp.status_code == 422 and "Pilih minimal satu berkas." in resp.get_data(True)
    assert rows(app) == []


def test_more_than_five_files_is_422(world, client, login, app):
    login(client, world.officer_ptk)
    items = [(f"{i}.pdf", pdf()) for i in range(6)]
    resp = upload(client, f"/needs/{world.n1.id}/attachments", *items)
    assert resp.status_code == 422
    assert "Paling banyak 5 berkas sekali unggah." in resp.get_data(as_text=True)
    assert rows(app) == [] and stored(app) == []


def test_types_recognised_from_bytes(world, client, login, app):
    login(client, world.officer_ptk)
    resp = upload(
        client,
        f"/needs/{world.n1.id}/attachments",
        ("notulen.docx", docx()),
        ("anggaran.xlsx", xlsx()),
        ("foto.jpeg", JPG),
        ("peta.png", PNG),
    )
    assert resp.status_code == 200
    got = {r.original_name: (r.content_type, Path(r.stored_name).suffix) for r in rows(app)}
    assert got == {
        "notulen.docx": (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
        "anggaran.xlsx": (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
        ),
        "foto.jpeg": ("image/jpeg", ".jpg"),
        "peta.png": ("image/png", ".png"),
    }


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("tabel.docx", None),  # an xlsx named .docx
        ("laporan.pdf", None),  # a docx named .pdf
        ("gambar.png", JPG),
        ("catatan.txt", b"%PDF-1.4 but named .txt"),
        ("arsip.zip", None),
    ],
)
def test_name_must_agree_with_the_bytes(world, client, login, app, name, data):
    if data is None:
        data = {"tabel.docx": xlsx(), "laporan.pdf": docx(), "arsip.zip": docx()}[name]
    login(client, world.officer_ptk)
    resp = upload(client, f"/needs/{world.n1.id}/attachments", (name, data))
    assert resp.status_code == 422 and f"{name}:" in resp.get_data(as_text=True)
    assert rows(app) == [] and stored(app) == []


# --- A15 — safe names, safe downloads, who may download -------------------------------------


def test_A15_path_in_name_is_stored_under_the_folder(world, client, login, app, tmp_path):
    login(client, world.officer_ptk)
    resp = upload(client, f"/needs/{world.n1.id}/attachments", ("../../laporan.pdf", pdf()))
    assert resp.status_code == 200
    (row,) = rows(app)
    assert row.original_name == "laporan.pdf"
    assert "/" not in row.stored_name and row.stored_name.endswith(".pdf")
    assert len(row.stored_name) == 36  # 32 random hex characters and ".pdf"
    folder = Path(app.config["UPLOAD_FOLDER"]).resolve()
    assert stored(app) == [folder / row.stored_name]
    written = {p for p in tmp_path.rglob("*") if p.is_file() and p.suffix == ".pdf"}
    assert written == {folder / row.stored_name}  # nothing outside the upload folder
    assert not (tmp_path.parent / "laporan.pdf").exists()
    assert "laporan.pdf" in client.get(f"/needs/{world.n1.id}").get_data(as_text=True)


def test_A15_control_characters_are_cleaned(world, client, login, app):
    login(client, world.officer_ptk)
    name = "Lap\u202eoran\x07.pdf"  # a right-to-left override would disguise the extension
    resp = upload(client, f"/needs/{world.n1.id}/attachments", (name, pdf()))
    assert resp.status_code == 200
    assert [r.original_name for r in rows(app)] == ["Laporan.pdf"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../laporan.pdf", "laporan.pdf"),
        ("C:\\Users\\ani\\laporan.pdf", "laporan.pdf"),
        ("/etc/passwd", "passwd"),
        ("  ..  ", ""),
        ("..", ""),
        ("a\x00b\r\n.pdf", "ab.pdf"),
        ("фото.pdf", "фото.pdf"),
    ],
)
def test_clean_filename(raw, clean):
    from collab.attachments.services import clean_filename

    assert clean_filename(raw) == clean


def test_A15_long_name_is_capped_and_keeps_extension(world, client, login, app):
    login(client, world.officer_ptk)
    resp = upload(client, f"/needs/{world.n1.id}/attachments", ("a" * 400 + ".pdf", pdf()))
    assert resp.status_code == 200
    (row,) = rows(app)
    assert len(row.original_name) == 255 and row.original_name.endswith("a.pdf")


def test_A15_non_ascii_name(world, client, login, app):
    login(client, world.officer_ptk)
    resp = upload(client, f"/needs/{world.n1.id}/attachments", ("фото.pdf", pdf()))
    assert resp.status_code == 200
    (row,) = rows(app)
    assert row.original_name == "фото.pdf"
    assert row.stored_name.isascii() and row.stored_name.endswith(".pdf")
    assert stored(app)[0].name == row.stored_name
    resp = fetch(client, f"/attachments/{row.id}")
    assert resp.status_code == 200 and resp.data == pdf()
    assert "filename*=UTF-8''%D1%84%D0%BE%D1%82%D0%BE.pdf" in resp.headers["Content-Disposition"]


def test_A15_download_headers(world, client, login, app):
    login(client, world.officer_ptk)
    name = "Laporan Kegiatan – Sungai Kapuas.pdf"
    upload(client, f"/needs/{world.n1.id}/attachments", (name, pdf()))
    (row,) = rows(app)
    resp = fetch(client, f"/attachments/{row.id}")
    assert resp.status_code == 200 and resp.data == pdf()
    cd = resp.headers["Content-Disposition"]
    assert cd.startswith("attachment;")
    assert "filename*=UTF-8''Laporan%20Kegiatan%20%E2%80%93%20Sungai%20Kapuas.pdf" in cd
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Type"] == "application/pdf"
    assert "sandbox" in resp.headers["Content-Security-Policy"]
    assert "no-store" in resp.headers["Cache-Control"]


@pytest.mark.parametrize("data", [SVG, HTML], ids=["svg", "html"])
def test_A15_pdf_name_with_svg_or_html_bytes_is_refused(world, client, login, app, data):
    login(client, world.officer_ptk)
    resp = upload(client, f"/needs/{world.n1.id}/attachments", ("laporan.pdf", data))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "laporan.pdf: jenis berkas tidak diizinkan" in html
    assert rows(app) == [] and stored(app) == []


def test_A15_svg_is_never_served_inline(world, client, login, app):
    login(client, world.officer_ptk)
    resp = upload(client, f"/needs/{world.n1.id}/attachments", ("gambar.svg", SVG))
    assert resp.status_code == 422 and rows(app) == [] and stored(app) == []
    upload(client, f"/needs/{world.n1.id}/attachments", ("gambar.png", PNG))
    (row,) = rows(app)
    resp = fetch(client, f"/attachments/{row.id}")
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    assert "svg" not in resp.headers["Content-Type"]


def test_A15_other_pemda_cannot_fetch(world, client, login, app, make_client):
    login(client, world.officer_ptk)
    upload(client, f"/needs/{world.n1.id}/attachments", ("laporan.pdf", pdf()))
    (row,) = rows(app)
    other = make_client()
    login(other, world.officer_kkr)
    resp = fetch(other, f"/attachments/{row.id}")
    assert resp.status_code in (403, 404) and resp.data != pdf()
    assert other.post(f"/attachments/{row.id}/delete").status_code in (403, 404)
    resp = upload(other, f"/needs/{world.n1.id}/attachments", ("x.pdf", pdf()))
    assert resp.status_code == 404 and len(rows(app)) == 1
    # BKN does not see a draft need, nor its files
    bkn = make_client()
    login(bkn, world.designer)
    assert fetch(bkn, f"/attachments/{row.id}").status_code == 404


def test_program_attachments_follow_program_visibility(pworld, client, login, app, make_client):
    w = pworld
    login(client, w.designer)
    resp = upload(client, f"/programs/{w.p1}/attachments", ("kurikulum.xlsx", xlsx()))
    assert resp.status_code == 200 and "kurikulum.xlsx" in resp.get_data(as_text=True)
    assert "HX-Trigger" not in resp.headers
    (row,) = rows(app)
    assert (row.entity_type, row.side) == ("program", "bkn")
    colleague = make_client()
    login(colleague, w.designer2)
    assert fetch(colleague, f"/attachments/{row.id}").status_code == 200
    assert "kurikulum.xlsx" in colleague.get(f"/programs/{w.p1}").get_data(as_text=True)
    partner = make_client()
    login(partner, w.officer_kkr)  # a draft program is BKN's own work until proposed
    assert fetch(partner, f"/attachments/{row.id}").status_code == 404
    page = client.get(f"/programs/{w.p1}").get_data(as_text=True)
    assert "mengunggah lampiran" in page


# --- comments -----------------------------------------------------------------------------


def test_comment_with_files_in_one_transaction(world, client, login, app, make_client):
    ref = world.need("submitted")
    login(client, world.officer_ptk)
    resp = upload(
        client,
        f"/needs/{ref.id}/comments",
        ("rekap.xlsx", xlsx()),
        ("foto.jpg", JPG),
        body="Data terlampir.",
        visibility="shared",
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Catatan terkirim." in html
    assert 'data-testid="comment-attachments"' in html and "rekap.xlsx" in html
    with app.app_context():
        comment = db.session.scalars(sa.select(Comment).where(Comment.transition.is_(None))).one()
        atts = db.session.scalars(sa.select(Attachment)).all()
        assert {(a.entity_type, a.entity_id) for a in atts} == {("comment", comment.id)}
    assert len(stored(app)) == 2
    designer = make_client()
    login(designer, world.designer)
    page = designer.get(f"/needs/{ref.id}").get_data(as_text=True)
    assert "rekap.xlsx" in page and "foto.jpg" in page
    assert fetch(designer, f"/attachments/{atts[0].id}").status_code == 200


def test_comment_without_files_still_works(world, client, login, app):
    login(client, world.officer_ptk)
    resp = upload(client, f"/needs/{world.n1.id}/comments", body="Tanpa berkas")
    assert resp.status_code == 200 and comment_count(app) == 1 and rows(app) == []


def test_internal_comment_attachment_invisible_to_other_side(
    world, client, login, app, make_client
):
    ref = world.need("submitted")
    login(client, world.officer_ptk)
    upload(
        client,
        f"/needs/{ref.id}/comments",
        ("internal.pdf", pdf()),
        body="Hanya untuk Pemda",
        visibility="internal",
    )
    (row,) = rows(app)
    approver = make_client()
    login(approver, world.approver_ptk)  # same side: may read
    assert fetch(approver, f"/attachments/{row.id}").status_code == 200
    designer = make_client()
    login(designer, world.designer)
    assert fetch(designer, f"/attachments/{row.id}").status_code == 404
    assert "internal.pdf" not in designer.get(f"/needs/{ref.id}").get_data(as_text=True)
    assert designer.post(f"/attachments/{row.id}/delete").status_code == 404
    assert rows(app)[0].deleted_at is None


def test_deleting_a_comment_deletes_its_files(world, client, login, app):
    login(client, world.officer_ptk)
    upload(client, f"/needs/{world.n1.id}/comments", ("a.pdf", pdf()), body="x")
    (row,) = rows(app)
    with app.app_context():
        comment_id = db.session.scalar(sa.select(Comment.id).where(Comment.transition.is_(None)))
    assert client.post(f"/comments/{comment_id}/delete", headers=HX).status_code == 200
    assert rows(app)[0].deleted_at is not None and stored(app) == []
    assert fetch(client, f"/attachments/{row.id}").status_code == 404


# --- deleting -------------------------------------------------------------------------------


def test_uploader_deletes_own_attachment(world, client, login, app, make_client):
    login(client, world.officer_ptk)
    upload(client, f"/needs/{world.n1.id}/attachments", ("a.pdf", pdf()), ("b.pdf", pdf()))
    a, b = rows(app)
    colleague = make_client()
    login(colleague, world.approver_ptk)  # sees the need, did not upload
    resp = colleague.post(f"/attachments/{a.id}/delete", headers=HX)
    assert resp.status_code == 403 and rows(app)[0].deleted_at is None
    assert 'action="/attachments/' not in colleague.get(f"/needs/{world.n1.id}").get_data(True)
    resp = client.post(f"/attachments/{a.id}/delete", headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Lampiran dihapus." in html
    assert "a.pdf" not in html and "b.pdf" in html
    a_row = rows(app)[0]
    assert a_row.deleted_at is not None  # the row stays for the audit trail
    assert [p.name for p in stored(app)] == [b.stored_name]  # the file is gone
    assert fetch(client, f"/attachments/{a.id}").status_code == 404
    with app.app_context():
        ev = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "delete_attachment")
        ).one()
        assert (ev.entity_type, ev.entity_id, ev.comment) == ("need", world.n1.id, "a.pdf")
    assert "menghapus lampiran" in client.get(f"/needs/{world.n1.id}").get_data(True)
    resp = client.post(f"/attachments/{b.id}/delete")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#attachments-panel")


def test_admin_takes_no_business_action(world, client, login, app):
    login(client, world.admin)
    resp = upload(client, f"/needs/{world.n1.id}/attachments", ("a.pdf", pdf()))
    assert resp.status_code in (403, 404) and rows(app) == [] and stored(app) == []


# --- failures leave nothing behind ----------------------------------------------------------


def test_db_failure_during_upload_leaves_no_file(world, client, login, app, monkeypatch):
    from collab.attachments import services

    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("INSERT", {}, Exception("database is gone"))

    monkeypatch.setattr(services, "record_event", broken)
    login(client, world.officer_ptk)
    resp = upload(client, f"/needs/{world.n1.id}/attachments", ("a.pdf", pdf()), ("b.pdf", pdf()))
    assert resp.status_code == 500
    assert rows(app) == [] and stored(app) == []


def test_db_failure_at_commit_leaves_no_file(world, client, login, app):
    from sqlalchemy.orm import Session

    def refuse(session):
        if any(isinstance(o, Attachment) for o in session.new) or session.info.get(
            "attachments.written"
        ):
            raise sa.exc.OperationalError("COMMIT", {}, Exception("disk full"))

    login(client, world.officer_ptk)
    sa.event.listen(Session, "before_commit", refuse)
    try:
        resp = upload(client, f"/needs/{world.n1.id}/comments", ("a.pdf", pdf()), body="x")
    finally:
        sa.event.remove(Session, "before_commit", refuse)
    assert resp.status_code == 500
    assert rows(app) == [] and stored(app) == [] and comment_count(app) == 0


def test_filesize_format(app):
    from collab.core.i18n import format_filesize

    with app.test_request_context("/?lang=id"):
        assert format_filesize(1_258_291) == "1,2 MB"
        assert format_filesize(812) == "812 B"
        assert format_filesize(35_328) == "34,5 KB"
    with app.test_request_context("/?lang=en"):
        assert format_filesize(1_258_291) == "1.2 MB"


def test_seed_demo_attaches_pdfs_once(app, db):
    import filetype

    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = rows(app)
    assert {r.entity_type for r in first} == {"need", "program", "comment"}
    files_on_disk = stored(app)
    assert len(files_on_disk) == len(first) == 3
    for path in files_on_disk:
        data = path.read_bytes()
        assert len(data) < 1000 and filetype.guess(data).mime == "application/pdf"
    result = runner.invoke(args=["seed-demo"])
    assert "nothing changed" in result.output
    assert [r.id for r in rows(app)] == [r.id for r in first] and stored(app) == files_on_disk


def test_deleting_a_comment_file_keeps_the_comment(world, client, login, app):
    login(client, world.officer_ptk)
    upload(client, f"/needs/{world.n1.id}/comments", ("a.pdf", pdf()), ("b.png", PNG), body="x")
    a, b = rows(app)
    resp = client.post(f"/attachments/{a.id}/delete", headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'id="comments-panel"' in html
    assert "Lampiran dihapus." in html and "a.pdf" not in html and "b.png" in html
    assert comment_count(app) == 1 and [p.name for p in stored(app)] == [b.stored_name]
    with app.app_context():
        ev = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "delete_attachment")
        ).one()
        assert ev.entity_type == "comment"
    resp = client.post(f"/attachments/{b.id}/delete")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#comments-panel")
