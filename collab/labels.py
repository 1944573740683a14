"""Indonesian UI labels for codes (DESIGN.md §5), translated lazily per request."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

NEED_STATUS = {
    "draft": _l("Draf"),
    "verifying": _l("Verifikasi Pemda"),
    "submitted": _l("Diajukan"),
    "in_review": _l("Ditelaah BKN"),
    "info_requested": _l("Perlu Informasi"),
    "accepted": _l("Diterima"),
    "declined": _l("Ditolak"),
    "withdrawn": _l("Ditarik"),
    "fulfilled": _l("Terpenuhi"),
}

NEED_STATUS_BADGE = {
    "draft": "secondary",
    "verifying": "info",
    "submitted": "primary",
    "in_review": "primary",
    "info_requested": "warning",
    "accepted": "success",
    "declined": "danger",
    "withdrawn": "dark",
    "fulfilled": "success",
}

URGENCY = {
    "critical": _l("Sangat Mendesak"),
    "high": _l("Mendesak"),
    "medium": _l("Sedang"),
    "low": _l("Rendah"),
}

URGENCY_BADGE = {"critical": "danger", "high": "warning", "medium": "info", "low": "secondary"}

ACTION = {
    "submit": _l("Ajukan"),
    "verify": _l("Verifikasi"),
    "return": _l("Kembalikan"),
    "take": _l("Tangani"),
    "request_info": _l("Minta Informasi"),
    "respond": _l("Jawab"),
    "accept": _l("Terima"),
    "decline": _l("Tolak"),
    "withdraw": _l("Tarik"),
    "create": _l("Buat"),
    "edit": _l("Ubah"),
}

ACTION_DONE = {
    "submit": _l("Usulan sudah diajukan."),
    "verify": _l("Usulan sudah diverifikasi."),
    "return": _l("Usulan sudah dikembalikan."),
    "take": _l("Usulan sudah ditangani."),
    "request_info": _l("Permintaan informasi sudah dikirim."),
    "respond": _l("Jawaban sudah dikirim."),
    "decline": _l("Usulan sudah ditolak."),
    "withdraw": _l("Usulan sudah ditarik."),
}

COMMENT_LABEL = {
    "comment": _l("Catatan"),
    "question": _l("Pertanyaan"),
    "answer": _l("Jawaban"),
    "reason": _l("Alasan"),
}

ROLE = {
    "pemda_officer": _l("Operator OPD"),
    "pemda_approver": _l("Kepala BKPSDM"),
    "bkn_designer": _l("Perancang Program BKN"),
    "bkn_approver": _l("Pejabat BKN"),
    "admin": _l("Administrator"),
}

ORG_KIND = {"bkn": _l("BKN"), "pemda": _l("Pemda"), "opd": _l("OPD / Unit")}

COMPETENCY_KIND = {
    "teknis": _l("Teknis"),
    "manajerial": _l("Manajerial"),
    "sosial_kultural": _l("Sosial Kultural"),
}

TURN = {"pemda": _l("Menunggu Pemda"), "bkn": _l("Menunggu BKN")}
