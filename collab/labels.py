"""Indonesian UI labels for codes (DESIGN.md §5), translated lazily per request."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

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
    "propose": _l("Usulkan"),
    "approve": _l("Setujui"),
    "request_changes": _l("Minta Revisi"),
    "reject": _l("Tolak"),
    "schedule": _l("Jadwalkan"),
    "start": _l("Mulai"),
    "complete": _l("Selesaikan"),
    "close": _l("Tutup Evaluasi"),
    "cancel": _l("Batalkan"),
}

EVENT = {
    "create": _l("membuat"),
    "edit": _l("mengubah isi"),
    "submit": _l("mengajukan"),
    "verify": _l("memverifikasi dan mengirim ke BKN"),
    "return": _l("mengembalikan untuk dilengkapi"),
    "take": _l("menangani"),
    "request_info": _l("meminta informasi"),
    "respond": _l("menjawab"),
    "accept": _l("menerima (ditautkan ke program)"),
    "decline": _l("menolak"),
    "withdraw": _l("menarik"),
    "release": _l("dikembalikan ke telaah (program batal/ditolak)"),
    "fulfil": _l("terpenuhi (program selesai dievaluasi)"),
    "propose": _l("mengusulkan"),
    "approve": _l("menyetujui"),
    "request_changes": _l("meminta revisi"),
    "reject": _l("menolak"),
    "schedule": _l("menjadwalkan"),
    "start": _l("memulai pelaksanaan"),
    "complete": _l("menyelesaikan pelaksanaan"),
    "close": _l("menutup evaluasi"),
    "cancel": _l("membatalkan"),
    "add_session": _l("menambah sesi"),
    "remove_session": _l("menghapus sesi"),
    "rezone_sessions": _l("mengubah zona waktu tempat (jam lokal sesi tetap)"),
    "record_attendance": _l("mengisi presensi"),
    "record_scores": _l("mengisi nilai pre/post-test"),
    "generate_reaction_links": _l("membuat tautan kuesioner reaksi"),
    "record_reaction": _l("mencatat kuesioner reaksi (L1)"),
    "record_followup": _l("mencatat evaluasi pascapelatihan (L3)"),
    "record_indicator": _l("mencatat capaian indikator (L4)"),
    "assign_certificates": _l("memberi nomor sertifikat"),
    "link": _l("menautkan usulan"),
    "unlink": _l("melepas usulan"),
    "nominate": _l("mengusulkan peserta"),
    "withdraw_participant": _l("menarik usulan peserta"),
    "enrol": _l("mengonfirmasi peserta"),
    "upload_attachment": _l("mengunggah lampiran"),
    "delete_attachment": _l("menghapus lampiran"),
    "login": _l("masuk"),
    "login_failed": _l("gagal masuk"),
    "update_profile": _l("mengubah profil"),
    "change_password": _l("mengganti kata sandi"),
    "logout": _l("keluar"),
}
"""Past-tense descriptions of audit actions for timelines ("Ani — mengajukan")."""

NOTIFICATION_TEXT = {
    "need.submit": _l("%(actor)s mengajukan usulan “%(title)s”."),
    "need.verify": _l("%(actor)s memverifikasi usulan “%(title)s” dan mengirimnya ke BKN."),
    "need.return": _l("%(actor)s mengembalikan usulan “%(title)s” untuk dilengkapi."),
    "need.take": _l("%(actor)s menangani usulan “%(title)s”."),
    "need.request_info": _l("%(actor)s meminta informasi tentang usulan “%(title)s”."),
    "need.respond": _l("%(actor)s menjawab permintaan informasi tentang usulan “%(title)s”."),
    "need.accept": _l("%(actor)s menerima usulan “%(title)s” dan menautkannya ke program."),
    "need.decline": _l("%(actor)s menolak usulan “%(title)s”."),
    "need.withdraw": _l("%(actor)s menarik usulan “%(title)s”."),
    "program.propose": _l("%(actor)s mengusulkan program “%(title)s”."),
    "program.approve": _l("%(actor)s menyetujui program “%(title)s”."),
    "program.request_changes": _l("%(actor)s meminta revisi program “%(title)s”."),
    "program.reject": _l("%(actor)s menolak program “%(title)s”."),
    "program.schedule": _l("%(actor)s menjadwalkan program “%(title)s”."),
    "program.start": _l("%(actor)s memulai pelaksanaan program “%(title)s”."),
    "program.complete": _l("%(actor)s menyelesaikan pelaksanaan program “%(title)s”."),
    "program.close": _l("%(actor)s menutup evaluasi program “%(title)s”."),
    "program.cancel": _l("%(actor)s membatalkan program “%(title)s”."),
}
"""One whole sentence per notified workflow event (``entity.action``), so that each language
can order its words (English needs "took up the need", not "took it up need")."""

ACTION_CONFIRM = {
    "close": _l(
        "Tutup evaluasi? Program menjadi Selesai Dievaluasi dan usulan yang dilayaninya ditandai "
        "Terpenuhi. Tindakan ini tidak dapat dibatalkan."
    ),
}
"""Actions that ask "are you sure?" first (they cannot be undone)."""

ACTION_DONE = {
    "submit": _l("Usulan sudah diajukan."),
    "verify": _l("Usulan sudah diverifikasi."),
    "return": _l("Usulan sudah dikembalikan."),
    "take": _l("Usulan sudah ditangani."),
    "request_info": _l("Permintaan informasi sudah dikirim."),
    "respond": _l("Jawaban sudah dikirim."),
    "decline": _l("Usulan sudah ditolak."),
    "withdraw": _l("Usulan sudah ditarik."),
    "accept": _l("Usulan sudah diterima."),
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

TURN = {
    "pemda": _l("Menunggu Pemda"),
    "bkn": _l("Menunggu BKN"),
    "both": _l("Menunggu BKN dan Pemda"),
}

PROGRAM_STATUS = {
    "draft": _l("Draf"),
    "proposed": _l("Diusulkan"),
    "changes_requested": _l("Perlu Revisi"),
    "approved": _l("Disetujui"),
    "rejected": _l("Ditolak"),
    "scheduled": _l("Dijadwalkan"),
    "in_delivery": _l("Berlangsung"),
    "delivered": _l("Terlaksana"),
    "evaluated": _l("Selesai Dievaluasi"),
    "cancelled": _l("Dibatalkan"),
}

PROGRAM_STATUS_BADGE = {
    "draft": "secondary",
    "proposed": "info",
    "changes_requested": "warning",
    "approved": "success",
    "rejected": "danger",
    "scheduled": "primary",
    "in_delivery": "info",
    "delivered": "success",
    "evaluated": "success",
    "cancelled": "dark",
}

DEVELOPMENT_FORM = {"klasikal": _l("klasikal"), "nonklasikal": _l("nonklasikal")}
"""The form of a SIASN development type. The type names themselves are official reference
names and stay in Indonesian in both languages; only this part is translated."""


def development_type(item: dict[str, str]) -> str:
    """``Bimbingan Teknis (klasikal)`` / ``Bimbingan Teknis (classroom)`` for a SIASN
    development type (:func:`collab.reference.development_types`)."""
    return f"{item['name']} ({DEVELOPMENT_FORM.get(item['form'], item['form'])})"


METHOD = {"luring": _l("Luring (tatap muka)"), "daring": _l("Daring"), "bauran": _l("Bauran")}

FUNDING_SOURCE = {"apbn": _l("APBN (BKN)"), "apbd": _l("APBD (Pemda)"), "lainnya": _l("Lainnya")}

DECISION = {
    "approve": _l("Disetujui"),
    "request_changes": _l("Revisi diminta"),
    "reject": _l("Ditolak"),
}

GUARD_HEADING = {
    "propose": _l("Program belum dapat diusulkan:"),
    "schedule": _l("Program belum dapat dijadwalkan:"),
    "start": _l("Program belum dapat dimulai:"),
    "complete": _l("Program belum dapat diselesaikan:"),
    "close": _l("Evaluasi program belum dapat ditutup:"),
}
GUARD_DEFAULT = _l("Belum dapat dilanjutkan:")

PARTICIPANT_STATUS = {
    "nominated": _lp("status peserta", "Diusulkan"),
    "enrolled": _l("Terkonfirmasi"),
    "withdrawn": _l("Ditarik"),
}

PARTICIPANT_STATUS_BADGE = {"nominated": "info", "enrolled": "success", "withdrawn": "secondary"}

PROGRAM_ACTION_DONE = {
    "approve": _l("Persetujuan Anda tercatat."),
    "propose": _l("Program sudah diusulkan."),
    "schedule": _l("Program sudah dijadwalkan."),
    "start": _l("Program sudah dimulai."),
    "complete": _l("Program sudah selesai dilaksanakan."),
    "close": _l("Evaluasi program sudah ditutup."),
    "cancel": _l("Program sudah dibatalkan."),
    "reject": _l("Program sudah ditolak."),
    "request_changes": _l("Revisi sudah diminta."),
}
