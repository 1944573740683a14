"""Demo data for ``flask seed-demo``: organisations, accounts, needs in every reachable state
and programs in every program state.

Everything is created through the service layer (:mod:`collab.admin.services`,
:mod:`collab.needs.services`, :mod:`collab.programs.services`), so the demo database holds a
real audit trail. Needs and programs are filed and moved at back-dated times (working days and
office hours, counted back from the day of seeding), so their timelines read naturally and one
critical need is already past its first-response SLA. Programs that are being or have been
delivered get planned dates and sessions counted from the same day, so they lie in the past
(or around today) whenever the seed runs; the others are planned in 2027. Each organisation,
account, need and program is get-or-create (by name, e-mail and title), and so is each demo
attachment (small generated PDFs on a need, a program and a comment, by file name), so
running the seed twice changes nothing and a partly seeded database is completed. Every demo
account's password is :data:`DEMO_PASSWORD`.

Besides Kota Pontianak and Kubu Raya, whose stories the tests and the README walk through, five
more Pemda of the region (:data:`REGION`, at the end of this module) bring about thirty needs
and a dozen programs over three fiscal years (the history base's year, the one before and the
next), made from a few topics by :func:`_region_need` and :func:`_region_program`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm.attributes import set_committed_value

from collab.admin.services import create_organization, create_user
from collab.core.workdays import is_working_day
from collab.extensions import db
from collab.models import (
    Attachment,
    AuditEvent,
    Comment,
    EmailOutbox,
    Need,
    Notification,
    Organization,
    OrgKind,
    Program,
    Role,
    User,
    program_need,
    utcnow,
)
from collab.needs.services import GapData, NeedData, create_need, transition_need, update_need
from collab.programs.services import (
    LINKABLE_NEED_STATES,
    BudgetData,
    CompetencyData,
    ModuleData,
    ProgramData,
    SessionData,
    add_session,
    create_program,
    transition_program,
    update_program,
)
from collab.workflow import programs as program_wf

DEMO_PASSWORD = "demo-sinergi-2026"
"""Password of every demo account."""

ADMIN_EMAIL = "admin@sinergi.test"

# ---------------------------------------------------------------------------------------------
# Organisations: (name, kind, parent name, Kemendagri region code, IANA time zone), parents first.

KOTA = "Pemerintah Kota Pontianak"
KKR = "Pemerintah Kabupaten Kubu Raya"
DINKES_KOTA = "Dinas Kesehatan Kota Pontianak"
DINKES_KKR = "Dinas Kesehatan Kabupaten Kubu Raya"
DISDIKBUD = "Dinas Pendidikan dan Kebudayaan Kota Pontianak"
DISKOMINFO = "Dinas Komunikasi dan Informatika Kota Pontianak"
BKAD = "Badan Keuangan Daerah Kota Pontianak"
RSUD = "RSUD Sultan Syarif Mohamad Alkadrie"
DISDUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil Kota Pontianak"
BKPSDM_KOTA = "BKPSDM Kota Pontianak"
PKM_KAMPUNG_DALAM = "Puskesmas Kampung Dalam"
PKM_SIANTAN_HILIR = "Puskesmas Siantan Hilir"
BKN_PUSAT = "BKN Pusat"
KANREG_V = "Kantor Regional V BKN"

_PTK = "Asia/Pontianak"
_JKT = "Asia/Jakarta"

ORGANIZATIONS: tuple[tuple[str, str, str | None, str, str], ...] = (
    (BKN_PUSAT, OrgKind.BKN, None, "31", _JKT),
    (KANREG_V, OrgKind.BKN, BKN_PUSAT, "31", _JKT),
    ("UPT BKN Pontianak", OrgKind.BKN, KANREG_V, "61", _PTK),
    (KOTA, OrgKind.PEMDA, None, "61.71", _PTK),
    (BKPSDM_KOTA, OrgKind.OPD, KOTA, "61.71", _PTK),
    (DINKES_KOTA, OrgKind.OPD, KOTA, "61.71", _PTK),
    (PKM_KAMPUNG_DALAM, OrgKind.OPD, DINKES_KOTA, "61.71", _PTK),
    (PKM_SIANTAN_HILIR, OrgKind.OPD, DINKES_KOTA, "61.71", _PTK),
    (DISDIKBUD, OrgKind.OPD, KOTA, "61.71", _PTK),
    (DISKOMINFO, OrgKind.OPD, KOTA, "61.71", _PTK),
    (BKAD, OrgKind.OPD, KOTA, "61.71", _PTK),
    (RSUD, OrgKind.OPD, KOTA, "61.71", _PTK),
    (DISDUKCAPIL, OrgKind.OPD, KOTA, "61.71", _PTK),
    (KKR, OrgKind.PEMDA, None, "61.12", _PTK),
    (DINKES_KKR, OrgKind.OPD, KKR, "61.12", _PTK),
)

# ---------------------------------------------------------------------------------------------
# Accounts: (e-mail, full name, role, organisation name).

DESIGNER = "perancang@bkn.sinergi.test"
BKN_OFFICIAL = "pejabat@bkn.sinergi.test"
DINKES_PTK = "dinkes@pontianak.sinergi.test"
BKPSDM_PTK = "bkpsdm@pontianak.sinergi.test"
DINKES_KR = "dinkes@kuburaya.sinergi.test"
BKPSDM_KR = "bkpsdm@kuburaya.sinergi.test"
DISDIKBUD_PTK = "disdikbud@pontianak.sinergi.test"
DISKOMINFO_PTK = "diskominfo@pontianak.sinergi.test"
BKAD_PTK = "bkad@pontianak.sinergi.test"

USERS: tuple[tuple[str, str, str, str], ...] = (
    (ADMIN_EMAIL, "Administrator Sinergi", Role.ADMIN, BKN_PUSAT),
    (DESIGNER, "Rina Kartika, S.Psi.", Role.BKN_DESIGNER, KANREG_V),
    (BKN_OFFICIAL, "Drs. Hendra Wijaya, M.Si.", Role.BKN_APPROVER, KANREG_V),
    (DINKES_PTK, "Ns. Dewi Anggraini, S.Kep.", Role.PEMDA_OFFICER, DINKES_KOTA),
    (BKPSDM_PTK, "Uray Firmansyah, S.STP., M.Si.", Role.PEMDA_APPROVER, KOTA),
    (DINKES_KR, "Yohanes Edi Saputra, S.K.M.", Role.PEMDA_OFFICER, DINKES_KKR),
    (BKPSDM_KR, "H. Muhammad Rizal, S.Sos., M.A.P.", Role.PEMDA_APPROVER, KKR),
    (DISDIKBUD_PTK, "Maria Lestari, S.Pd., M.Pd.", Role.PEMDA_OFFICER, DISDIKBUD),
    (DISKOMINFO_PTK, "Andi Prasetyo, S.Kom.", Role.PEMDA_OFFICER, DISKOMINFO),
    (BKAD_PTK, "Lina Marlina, S.E., Ak.", Role.PEMDA_OFFICER, BKAD),
)


# ---------------------------------------------------------------------------------------------
# Needs: what a Pemda files, then the steps it went through.


@dataclass(frozen=True)
class When:
    """A back-dated moment: ``working_days`` Indonesian working days before the last working
    day before the seeding day, at ``clock`` (``"HH:MM"``) in the demo region's local time."""

    working_days: int
    clock: str


@dataclass(frozen=True)
class Step:
    """One thing done to a demo need or program at ``when``: ``action`` is ``"create"``,
    ``"edit"`` (apply ``changes`` to its data), ``"add_sessions"`` (a program's sessions) or a
    workflow action, ``comment`` its text."""

    when: When
    actor: str
    action: str
    comment: str | None = None
    changes: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DemoNeed:
    """A demo need: the organisation it is filed for, its content (a :class:`NeedData` minus
    ``org_id``) and its history, oldest step first (the first step is ``"create"``)."""

    org: str
    data: dict
    steps: tuple[Step, ...]


def _at(working_days: int, clock: str) -> When:
    return When(working_days, clock)


def _workday(base: date, working_days: int) -> date:
    """The working day ``working_days`` working days before ``base`` (after it when negative)."""
    day, left = base, abs(working_days)
    step = timedelta(days=-1 if working_days > 0 else 1)
    while left > 0:
        day += step
        if is_working_day(day):
            left -= 1
    return day


def _moment(base: date, when: When) -> datetime:
    """The aware UTC time of ``when``, counted back from ``base`` (a local working day)."""
    day = _workday(base, when.working_days)
    clock = time.fromisoformat(when.clock)
    return datetime.combine(day, clock, tzinfo=ZoneInfo(_PTK)).astimezone(UTC)


def _history_base(now: datetime) -> date:
    """The last working day before ``now``'s local date: every demo step lies in the past."""
    day = now.astimezone(ZoneInfo(_PTK)).date() - timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _pct(name: str, baseline: str, target: str) -> dict:
    return {
        "indicator_name": name,
        "indicator_unit": "%",
        "indicator_baseline": Decimal(baseline),
        "indicator_target": Decimal(target),
    }


def _teknis(name: str, current: int, target: int) -> GapData:
    return GapData(kind="teknis", name=name, code=None, current_level=current, target_level=target)


def _listed(kind: str, code: str, current: int, target: int) -> GapData:
    return GapData(kind=kind, name=None, code=code, current_level=current, target_level=target)


NEEDS: tuple[DemoNeed, ...] = (
    # 1. Critical, verified two weeks ago and still untouched: first-response SLA overdue.
    DemoNeed(
        org=DINKES_KOTA,
        data={
            "title": "Penerapan Rekam Medis Elektronik Terintegrasi SATUSEHAT di Puskesmas",
            "urusan_code": "1.02",
            "affected_service": "Pencatatan dan pelaporan kunjungan pasien puskesmas",
            "problem_statement": (
                "Seluruh puskesmas di Kota Pontianak wajib mengirimkan data kunjungan pasien ke "
                "platform SATUSEHAT, tetapi baru sebagian kecil yang mampu melakukannya secara "
                "rutin. Sebagian besar perekam medis dan perawat masih mencatat di buku register "
                "dan kartu berobat, lalu memasukkan ulang data ke aplikasi pada akhir bulan. "
                "Akibatnya data terlambat, tidak lengkap, dan sering berbeda dengan catatan "
                "manual, sehingga Dinas Kesehatan tidak dapat memantau pelayanan tepat waktu."
            ),
            **_pct(
                "Persentase puskesmas yang mengirimkan data kunjungan secara elektronik ke "
                "SATUSEHAT",
                "35",
                "100",
            ),
            "target_jabatan": "Perekam Medis dan Perawat Puskesmas",
            "asn_affected": 46,
            "urgency": "critical",
            "urgency_justification": (
                "Batas waktu penerapan rekam medis elektronik sudah terlewati. Puskesmas yang "
                "belum terhubung berisiko mendapat teguran dan terhambat dalam pembayaran klaim, "
                "sehingga pelatihan harus dimulai pada triwulan pertama tahun anggaran."
            ),
            "needed_by": date(2027, 3, 31),
            "fiscal_year": 2027,
            "gaps": [
                _teknis("Pengelolaan rekam medis elektronik", 1, 3),
                _listed("manajerial", "M.07", 2, 3),
            ],
        },
        steps=(
            Step(_at(11, "09:10"), DINKES_PTK, "create"),
            Step(_at(10, "10:05"), DINKES_PTK, "submit"),
            Step(_at(10, "14:20"), BKPSDM_PTK, "verify"),
        ),
    ),
    # 2. In review after a question from BKN and the Pemda's answer.
    DemoNeed(
        org=DINKES_KOTA,
        data={
            "title": "Peningkatan Kemampuan Skrining dan Tindak Lanjut Hipertensi di Posbindu PTM",
            "urusan_code": "1.02",
            "spm_service_no": 8,
            "affected_service": "Pelayanan kesehatan penderita hipertensi",
            "problem_statement": (
                "Capaian SPM pelayanan kesehatan penderita hipertensi di Kota Pontianak masih "
                "jauh di bawah target. Petugas Posbindu PTM dan pengelola program penyakit tidak "
                "menular di puskesmas belum seragam dalam mengukur tekanan darah, menentukan "
                "kriteria rujukan, dan menjadwalkan kunjungan ulang. Banyak penderita yang "
                "terjaring skrining tidak dipantau kembali, sehingga tidak tercatat mendapat "
                "pelayanan sesuai standar."
            ),
            **_pct(
                "Persentase penderita hipertensi yang mendapat pelayanan kesehatan sesuai standar",
                "48",
                "100",
            ),
            "target_jabatan": "Pengelola Program PTM dan Perawat Puskesmas",
            "asn_affected": 30,
            "urgency": "high",
            "urgency_justification": (
                "Capaian SPM hipertensi dinilai dalam evaluasi kinerja daerah tahun 2027, "
                "sementara rujukan pasien dengan komplikasi stroke dan gagal ginjal ke RSUD terus "
                "meningkat."
            ),
            "needed_by": date(2027, 5, 31),
            "fiscal_year": 2027,
            "gaps": [_teknis("Skrining dan tata laksana penyakit tidak menular", 2, 3)],
        },
        steps=(
            Step(_at(16, "09:30"), DINKES_PTK, "create"),
            Step(_at(15, "10:15"), DINKES_PTK, "submit"),
            Step(_at(14, "08:45"), BKPSDM_PTK, "verify"),
            Step(_at(12, "10:00"), DESIGNER, "take"),
            Step(
                _at(12, "15:40"),
                DESIGNER,
                "request_info",
                "Mohon dijelaskan berapa puskesmas yang sudah memiliki Posbindu aktif dan apakah "
                "setiap pos memiliki tensimeter yang layak pakai. Apakah calon peserta pernah "
                "mengikuti orientasi penyakit tidak menular dari Kementerian Kesehatan?",
            ),
            Step(
                _at(10, "11:25"),
                DINKES_PTK,
                "respond",
                "Seluruh puskesmas di Kota Pontianak sudah memiliki Posbindu aktif dengan "
                "tensimeter digital yang dikalibrasi tahun ini. Baru sekitar sepertiga pengelola "
                "program yang pernah mengikuti orientasi daring dari Kementerian Kesehatan; "
                "sisanya belum pernah mendapat pelatihan apa pun tentang protokol ini.",
            ),
        ),
    ),
    # 3. Kubu Raya stunting, critical, verified by the Pemda on the last working day.
    DemoNeed(
        org=DINKES_KKR,
        data={
            "title": "Penguatan Surveilans Gizi dan Pencatatan Elektronik Pertumbuhan Balita",
            "urusan_code": "1.02",
            "spm_service_no": 4,
            "affected_service": "Pelayanan kesehatan balita",
            "problem_statement": (
                "Data penimbangan dan pengukuran balita dari posyandu di Kabupaten Kubu Raya "
                "sering terlambat masuk dan banyak yang tidak akurat, misalnya panjang badan "
                "tidak diukur dengan alat standar atau umur balita salah dihitung. Tenaga "
                "pelaksana gizi di puskesmas belum terbiasa memakai aplikasi pencatatan gizi "
                "secara elektronik, sehingga balita yang berisiko stunting terlambat mendapat "
                "intervensi."
            ),
            **_pct(
                "Persentase balita yang ditimbang dan diukur serta tercatat secara elektronik "
                "setiap bulan",
                "60",
                "90",
            ),
            "target_jabatan": "Nutrisionis dan Bidan Puskesmas",
            "asn_affected": 25,
            "urgency": "critical",
            "urgency_justification": (
                "Prevalensi stunting di Kubu Raya masih di atas target nasional dan kabupaten ini "
                "menjadi lokasi fokus intervensi. Data yang tidak akurat membuat sasaran "
                "intervensi gizi meleset dan anggaran tidak efektif."
            ),
            "needed_by": date(2027, 2, 28),
            "fiscal_year": 2027,
            "gaps": [
                _teknis("Surveilans gizi dan pencatatan pertumbuhan balita", 1, 3),
                _teknis("Pengukuran antropometri balita sesuai standar", 2, 3),
            ],
        },
        steps=(
            Step(_at(3, "09:00"), DINKES_KR, "create"),
            Step(_at(2, "10:30"), DINKES_KR, "submit"),
            Step(_at(0, "14:10"), BKPSDM_KR, "verify"),
        ),
    ),
    # 4. Returned by BKPSDM for correction, edited and filed again: waiting for verification.
    DemoNeed(
        org=DISDIKBUD,
        data={
            "title": "Penerapan Asesmen Diagnostik dan Formatif bagi Guru Sekolah Dasar",
            "urusan_code": "1.01",
            "affected_service": "Pembelajaran di sekolah dasar negeri",
            "problem_statement": (
                "Kurikulum Merdeka menuntut guru sekolah dasar melakukan asesmen diagnostik di "
                "awal pembelajaran dan memakai hasilnya untuk menyesuaikan cara mengajar. Hasil "
                "supervisi pengawas menunjukkan sebagian besar guru masih mengandalkan ulangan "
                "harian dan belum mampu menyusun instrumen asesmen, apalagi mengolah hasilnya "
                "untuk mengelompokkan murid sesuai kebutuhan belajar."
            ),
            **_pct(
                "Persentase SD negeri yang menerapkan asesmen diagnostik pada awal tahun ajaran",
                "40",
                "85",
            ),
            "target_jabatan": "Guru Kelas Sekolah Dasar",
            "asn_affected": 150,
            "urgency": "medium",
            "urgency_justification": (
                "Rapor Pendidikan menunjukkan kemampuan literasi dan numerasi murid SD di bawah "
                "rata-rata nasional; perbaikan perlu berjalan sebelum tahun ajaran 2027/2028."
            ),
            "needed_by": date(2027, 6, 30),
            "fiscal_year": 2027,
            "gaps": [_teknis("Asesmen pembelajaran", 2, 3)],
        },
        steps=(
            Step(_at(9, "09:20"), DISDIKBUD_PTK, "create"),
            Step(_at(8, "10:00"), DISDIKBUD_PTK, "submit"),
            Step(
                _at(7, "13:35"),
                BKPSDM_PTK,
                "return",
                "Jumlah guru sasaran belum sesuai dengan data Dapodik terbaru. Mohon disesuaikan "
                "dan lampirkan rekap hasil supervisi pengawas sebelum diajukan kembali.",
            ),
            Step(_at(3, "09:05"), DISDIKBUD_PTK, "edit", changes={"asn_affected": 120}),
            Step(_at(3, "09:50"), DISDIKBUD_PTK, "submit"),
        ),
    ),
    # 5. Regional finance, taken by the BKN designer.
    DemoNeed(
        org=BKAD,
        data={
            "title": "Peningkatan Kompetensi Bendahara dan Pejabat Penatausahaan Keuangan OPD",
            "urusan_code": "5.02",
            "affected_service": "Penatausahaan dan pertanggungjawaban keuangan OPD",
            "problem_statement": (
                "Bendahara pengeluaran dan pejabat penatausahaan keuangan di banyak OPD masih "
                "sering keliru ketika menginput dokumen penatausahaan dan menyusun laporan "
                "pertanggungjawaban di Sistem Informasi Pemerintahan Daerah (SIPD). Kesalahan "
                "kode rekening dan bukti yang tidak lengkap membuat SPJ dikembalikan berulang "
                "kali, sehingga laporan keuangan OPD terlambat dan menjadi temuan pemeriksaan."
            ),
            **_pct(
                "Persentase OPD yang menyampaikan laporan pertanggungjawaban tepat waktu",
                "55",
                "95",
            ),
            "target_jabatan": "Bendahara Pengeluaran dan Pejabat Penatausahaan Keuangan SKPD",
            "asn_affected": 60,
            "urgency": "high",
            "urgency_justification": (
                "Keterlambatan SPJ berdampak langsung pada penyusunan laporan keuangan "
                "pemerintah daerah dan opini BPK. Pergantian bendahara pada awal tahun menambah "
                "jumlah pejabat yang belum pernah dilatih."
            ),
            "needed_by": date(2027, 4, 30),
            "fiscal_year": 2027,
            "gaps": [_teknis("Pengelolaan keuangan daerah berbasis SIPD", 2, 3)],
        },
        steps=(
            Step(_at(19, "08:50"), BKAD_PTK, "create"),
            Step(_at(18, "10:10"), BKAD_PTK, "submit"),
            Step(_at(17, "14:00"), BKPSDM_PTK, "verify"),
            Step(_at(15, "10:30"), DESIGNER, "take"),
        ),
    ),
    # 6. E-government services: BKN asked a question, waiting for the Pemda's answer.
    DemoNeed(
        org=DISKOMINFO,
        data={
            "title": "Pelayanan Publik Berbasis Teknologi Informasi untuk Peningkatan Indeks SPBE",
            "urusan_code": "2.16",
            "affected_service": "Layanan publik daring Pemerintah Kota Pontianak",
            "problem_statement": (
                "Indeks SPBE Kota Pontianak tidak bergerak dalam dua evaluasi terakhir. Aplikasi "
                "layanan daring sudah tersedia, tetapi petugas di unit layanan belum mampu "
                "mengelolanya sendiri, mulai dari memverifikasi permohonan, memperbarui "
                "informasi layanan, sampai menanggapi kendala pengguna. Setiap masalah kecil "
                "harus menunggu bantuan pranata komputer Diskominfo."
            ),
            "indicator_name": "Indeks SPBE Pemerintah Kota Pontianak",
            "indicator_unit": "indeks",
            "indicator_baseline": Decimal("2.90"),
            "indicator_target": Decimal("3.50"),
            "target_jabatan": "Pengelola Layanan Operasional dan Pranata Komputer",
            "asn_affected": 35,
            "urgency": "medium",
            "urgency_justification": (
                "Evaluasi SPBE berikutnya berlangsung pada tahun 2027. Tanpa peningkatan "
                "kemampuan pengelola layanan, nilai domain layanan tidak akan naik."
            ),
            "needed_by": date(2027, 8, 31),
            "fiscal_year": 2027,
            "gaps": [
                _teknis("Pengelolaan layanan publik berbasis teknologi informasi", 1, 3),
                _listed("manajerial", "M.07", 2, 3),
            ],
        },
        steps=(
            Step(_at(13, "09:15"), DISKOMINFO_PTK, "create"),
            Step(_at(12, "10:20"), DISKOMINFO_PTK, "submit"),
            Step(_at(11, "14:45"), BKPSDM_PTK, "verify"),
            Step(_at(7, "10:00"), DESIGNER, "take"),
            Step(
                _at(5, "11:10"),
                DESIGNER,
                "request_info",
                "Mohon dirinci unit layanan mana yang paling sering meminta bantuan Diskominfo "
                "dan aplikasi apa yang mereka gunakan, agar materi pelatihan dapat disesuaikan. "
                "Apakah tersedia anggaran APBD untuk pendampingan setelah pelatihan?",
            ),
        ),
    ),
    # 7. Filed and submitted directly by the Kepala BKPSDM on behalf of the RSUD.
    DemoNeed(
        org=RSUD,
        data={
            "title": "Coaching Triase Gawat Darurat bagi Perawat dan Dokter IGD",
            "urusan_code": "1.02",
            "affected_service": "Pelayanan Instalasi Gawat Darurat",
            "problem_statement": (
                "Setelah Instalasi Gawat Darurat RSUD Sultan Syarif Mohamad Alkadrie diperluas, "
                "jumlah kunjungan meningkat tajam tetapi waktu tanggap justru memburuk. Perawat "
                "dan dokter jaga, terutama yang baru dimutasi dari ruang rawat inap, belum "
                "konsisten menerapkan kategori triase, sehingga pasien gawat kadang menunggu "
                "lebih lama daripada pasien dengan keluhan ringan."
            ),
            "indicator_name": "Median waktu tanggap pelayanan IGD",
            "indicator_unit": "menit",
            "indicator_baseline": Decimal("12"),
            "indicator_target": Decimal("5"),
            "target_jabatan": "Perawat dan Dokter Umum IGD",
            "asn_affected": 22,
            "urgency": "high",
            "urgency_justification": (
                "Waktu tanggap IGD lebih dari lima menit tidak memenuhi standar pelayanan "
                "minimal rumah sakit dan akan menjadi catatan pada survei akreditasi berikutnya."
            ),
            "needed_by": date(2027, 3, 15),
            "fiscal_year": 2027,
            "gaps": [_teknis("Triase gawat darurat", 2, 3)],
        },
        steps=(
            Step(_at(1, "10:40"), BKPSDM_PTK, "create"),
            Step(_at(0, "09:30"), BKPSDM_PTK, "submit"),
        ),
    ),
    # 8. Still a draft at the puskesmas.
    DemoNeed(
        org=PKM_KAMPUNG_DALAM,
        data={
            "title": "Penemuan dan Pemeriksaan Orang Terduga Tuberkulosis di Puskesmas "
            "Kampung Dalam",
            "urusan_code": "1.02",
            "spm_service_no": 11,
            "affected_service": "Pelayanan kesehatan orang terduga tuberkulosis",
            "problem_statement": (
                "Jumlah orang terduga tuberkulosis yang diperiksa di wilayah Puskesmas Kampung "
                "Dalam masih jauh dari sasaran. Petugas belum rutin melakukan investigasi kontak "
                "serumah dan belum terampil membaca hasil tes cepat molekuler untuk menentukan "
                "langkah berikutnya, sehingga banyak kasus baru ditemukan ketika pasien datang "
                "dalam keadaan berat."
            ),
            **_pct(
                "Persentase orang terduga tuberkulosis yang mendapat pelayanan sesuai standar",
                "52",
                "100",
            ),
            "target_jabatan": "Perawat dan Pranata Laboratorium Kesehatan Puskesmas",
            "asn_affected": 12,
            "urgency": "medium",
            "urgency_justification": (
                "Kasus yang terlambat ditemukan terus menularkan penyakit di lingkungan padat "
                "penduduk di tepi Sungai Kapuas; eliminasi tuberkulosis menjadi prioritas kota."
            ),
            "needed_by": date(2027, 9, 30),
            "fiscal_year": 2027,
            "gaps": [_teknis("Penemuan kasus dan investigasi kontak tuberkulosis", 1, 3)],
        },
        steps=(Step(_at(3, "13:15"), DINKES_PTK, "create"),),
    ),
    # 9. Withdrawn by the Pemda: the province already scheduled the same training.
    DemoNeed(
        org=PKM_SIANTAN_HILIR,
        data={
            "title": "Peningkatan Mutu Pelayanan Antenatal Terpadu bagi Bidan Puskesmas "
            "Siantan Hilir",
            "urusan_code": "1.02",
            "spm_service_no": 1,
            "affected_service": "Pelayanan kesehatan ibu hamil",
            "problem_statement": (
                "Cakupan ibu hamil yang mendapat pelayanan antenatal sesuai standar di wilayah "
                "Puskesmas Siantan Hilir masih rendah. Belum semua bidan melakukan skrining "
                "faktor risiko pada kunjungan pertama, dan pencatatan di buku KIA sering tidak "
                "lengkap sehingga ibu dengan risiko tinggi terlambat dirujuk."
            ),
            **_pct(
                "Persentase ibu hamil yang mendapat pelayanan kesehatan sesuai standar",
                "62",
                "100",
            ),
            "target_jabatan": "Bidan Puskesmas",
            "asn_affected": 14,
            "urgency": "medium",
            "urgency_justification": (
                "Dua kasus kematian ibu di wilayah kerja puskesmas dalam setahun terakhir "
                "berkaitan dengan faktor risiko yang terlambat dikenali."
            ),
            "needed_by": date(2027, 6, 30),
            "fiscal_year": 2027,
            "gaps": [_teknis("Pelayanan antenatal terpadu", 2, 3)],
        },
        steps=(
            Step(_at(23, "09:00"), DINKES_PTK, "create"),
            Step(_at(22, "10:00"), DINKES_PTK, "submit"),
            Step(_at(21, "14:30"), BKPSDM_PTK, "verify"),
            Step(
                _at(20, "10:15"),
                DINKES_PTK,
                "withdraw",
                "Dinas Kesehatan Provinsi Kalimantan Barat sudah menjadwalkan pelatihan "
                "antenatal terpadu bagi bidan Puskesmas Siantan Hilir pada tahun 2027, sehingga "
                "usulan ini kami tarik agar tidak terjadi duplikasi.",
            ),
        ),
    ),
    # 10. Declined by BKN: procurement certification belongs to LKPP.
    DemoNeed(
        org=KOTA,
        data={
            "title": "Sertifikasi Kompetensi Pengadaan Barang/Jasa bagi Pejabat Pengadaan OPD",
            "urusan_code": "4.01",
            "affected_service": "Pengadaan barang/jasa pemerintah daerah",
            "problem_statement": (
                "Banyak OPD belum memiliki pejabat pengadaan bersertifikat, sehingga paket "
                "pengadaan langsung harus ditangani Bagian Pengadaan Barang dan Jasa Sekretariat "
                "Daerah. Antrean paket menumpuk pada awal tahun anggaran dan realisasi belanja "
                "OPD tertunda."
            ),
            **_pct("Persentase OPD yang memiliki pejabat pengadaan bersertifikat", "30", "80"),
            "target_jabatan": "Pejabat Pengadaan dan Pengelola Pengadaan Barang/Jasa",
            "asn_affected": 40,
            "urgency": "medium",
            "urgency_justification": (
                "Realisasi belanja triwulan pertama selalu rendah karena paket pengadaan "
                "menunggu pejabat pengadaan yang jumlahnya terbatas."
            ),
            "needed_by": date(2027, 2, 15),
            "fiscal_year": 2027,
            "gaps": [_teknis("Pengadaan barang/jasa pemerintah", 1, 3)],
        },
        steps=(
            Step(_at(30, "09:30"), BKPSDM_PTK, "create"),
            Step(_at(29, "10:00"), BKPSDM_PTK, "submit"),
            Step(_at(27, "10:20"), DESIGNER, "take"),
            Step(
                _at(26, "14:05"),
                DESIGNER,
                "decline",
                "Sertifikasi kompetensi pengadaan barang/jasa merupakan kewenangan LKPP dan "
                "diselenggarakan melalui lembaga pelatihan yang terakreditasi LKPP. Usulan ini "
                "kami teruskan sebagai rujukan kepada LKPP; BKN tidak dapat menerbitkan "
                "sertifikat kompetensi di bidang tersebut.",
            ),
        ),
    ),
    # 11. Kubu Raya's electronic medical records need, similar to #1, in review.
    DemoNeed(
        org=DINKES_KKR,
        data={
            "title": "Penerapan Rekam Medis Elektronik di Puskesmas Kabupaten Kubu Raya",
            "urusan_code": "1.02",
            "affected_service": "Pencatatan dan pelaporan kunjungan pasien puskesmas",
            "problem_statement": (
                "Sebagian puskesmas di Kubu Raya berada di wilayah dengan akses internet "
                "terbatas, dan petugasnya belum pernah memakai aplikasi rekam medis elektronik. "
                "Pencatatan pasien masih manual, sehingga data kunjungan tidak dapat dikirim ke "
                "SATUSEHAT dan pemantauan program kesehatan ibu, anak, dan penyakit menular "
                "selalu terlambat."
            ),
            **_pct(
                "Persentase puskesmas yang mengirimkan data kunjungan secara elektronik ke "
                "SATUSEHAT",
                "20",
                "80",
            ),
            "target_jabatan": "Perekam Medis dan Perawat Puskesmas",
            "asn_affected": 38,
            "urgency": "high",
            "urgency_justification": (
                "Kewajiban rekam medis elektronik sudah berlaku, dan puskesmas yang belum "
                "terhubung tidak dapat melaporkan capaian program secara tepat waktu."
            ),
            "needed_by": date(2027, 4, 30),
            "fiscal_year": 2027,
            "gaps": [_teknis("Pengelolaan rekam medis elektronik", 1, 3)],
        },
        steps=(
            Step(_at(11, "10:00"), DINKES_KR, "create"),
            Step(_at(10, "11:00"), DINKES_KR, "submit"),
            Step(_at(9, "09:15"), BKPSDM_KR, "verify"),
            Step(_at(7, "14:30"), DESIGNER, "take"),
        ),
    ),
    # 12. A fresh draft with managerial and socio-cultural gaps.
    DemoNeed(
        org=DISKOMINFO,
        data={
            "title": "Penanganan Pengaduan Masyarakat melalui SP4N-LAPOR! yang Cepat dan Santun",
            "urusan_code": "2.16",
            "affected_service": "Pengelolaan pengaduan pelayanan publik",
            "problem_statement": (
                "Admin pengaduan di OPD sering terlambat menindaklanjuti laporan warga yang "
                "masuk melalui SP4N-LAPOR! dan media sosial, dan tanggapannya kadang bernada "
                "kaku atau defensif sehingga memicu keluhan lanjutan. Sebagian admin juga kurang "
                "peka terhadap keberagaman latar belakang warga ketika menyusun jawaban."
            ),
            **_pct("Persentase pengaduan yang ditindaklanjuti dalam lima hari kerja", "58", "90"),
            "target_jabatan": "Admin Pengaduan OPD",
            "asn_affected": 45,
            "urgency": "low",
            "urgency_justification": (
                "Kualitas penanganan pengaduan dinilai dalam survei kepatuhan pelayanan publik "
                "Ombudsman; perbaikan dapat dilakukan bertahap sepanjang tahun 2027."
            ),
            "needed_by": date(2027, 10, 31),
            "fiscal_year": 2027,
            "gaps": [
                _listed("manajerial", "M.03", 2, 3),
                _listed("sosial_kultural", "SK.01", 1, 2),
            ],
        },
        steps=(Step(_at(0, "15:20"), DISKOMINFO_PTK, "create"),),
    ),
    # 13. Critical maternal emergencies in Kubu Raya, verified over a week ago and untouched:
    #     past its first-response SLA (need #1 is now served by a program): the demo's overdue
    #     need ("Menunggu BKN · Terlambat … hari kerja").
    DemoNeed(
        org=DINKES_KKR,
        data={
            "title": "Penanganan Kegawatdaruratan Maternal dan Neonatal di Puskesmas PONED "
            "Kubu Raya",
            "urusan_code": "1.02",
            "spm_service_no": 2,
            "affected_service": "Pelayanan kesehatan ibu bersalin",
            "problem_statement": (
                "Sebagian besar persalinan di wilayah pesisir dan perairan Kabupaten Kubu Raya "
                "ditolong di puskesmas, tetapi bidan dan dokter di puskesmas PONED belum "
                "seluruhnya terlatih menangani perdarahan pascapersalinan, preeklamsia berat, "
                "dan asfiksia bayi baru lahir. Rujukan ke rumah sakit di Sungai Raya atau "
                "Pontianak dapat memakan waktu berjam-jam melalui jalur sungai, sehingga "
                "stabilisasi di puskesmas sangat menentukan keselamatan ibu dan bayi."
            ),
            **_pct(
                "Persentase ibu bersalin yang mendapat pelayanan persalinan sesuai standar",
                "81",
                "100",
            ),
            "target_jabatan": "Bidan dan Dokter Umum Puskesmas PONED",
            "asn_affected": 28,
            "urgency": "critical",
            "urgency_justification": (
                "Dalam setahun terakhir terjadi beberapa kematian ibu yang berkaitan dengan "
                "perdarahan dan keterlambatan stabilisasi sebelum rujukan. Tim PONED di "
                "beberapa puskesmas baru dibentuk dan belum pernah mendapat pelatihan."
            ),
            "needed_by": date(2027, 2, 28),
            "fiscal_year": 2027,
            "gaps": [
                _teknis("Penanganan kegawatdaruratan obstetri dan neonatal", 1, 3),
                _teknis("Stabilisasi dan rujukan pasien maternal", 2, 3),
            ],
        },
        steps=(
            Step(_at(9, "08:40"), DINKES_KR, "create"),
            Step(_at(8, "10:15"), DINKES_KR, "submit"),
            Step(_at(8, "15:05"), BKPSDM_KR, "verify"),
        ),
    ),
    # 14. Digital population identity: filed directly by BKPSDM, taken by BKN, now served by
    #     "Pelatihan Pelayanan Publik Berbasis Teknologi Informasi".
    DemoNeed(
        org=DISDUKCAPIL,
        data={
            "title": "Pelayanan Aktivasi Identitas Kependudukan Digital bagi Petugas Layanan "
            "Disdukcapil",
            "urusan_code": "2.12",
            "affected_service": "Pelayanan administrasi kependudukan di Disdukcapil dan kecamatan",
            "problem_statement": (
                "Aktivasi Identitas Kependudukan Digital (IKD) di Kota Pontianak berjalan "
                "lambat. Petugas loket di kantor Disdukcapil dan di kecamatan belum mampu "
                "memandu warga memasang dan mengaktifkan aplikasi IKD, menangani kegagalan "
                "verifikasi wajah, atau menjelaskan manfaat dokumen kependudukan digital. Warga "
                "yang gagal aktivasi sering pulang tanpa penyelesaian dan tidak kembali lagi."
            ),
            **_pct(
                "Persentase penduduk wajib KTP-el yang telah mengaktifkan IKD",
                "12",
                "30",
            ),
            "target_jabatan": "Petugas Pelayanan dan Operator Administrasi Kependudukan",
            "asn_affected": 18,
            "urgency": "medium",
            "urgency_justification": (
                "Capaian aktivasi IKD menjadi bagian penilaian kinerja layanan administrasi "
                "kependudukan, dan layanan lain di Kota Pontianak mulai memakai IKD untuk "
                "verifikasi identitas warga."
            ),
            "needed_by": date(2027, 6, 30),
            "fiscal_year": 2027,
            "gaps": [
                _teknis("Pelayanan administrasi kependudukan digital", 1, 2),
                _listed("manajerial", "M.05", 2, 3),
            ],
        },
        steps=(
            Step(_at(26, "09:00"), BKPSDM_PTK, "create"),
            Step(_at(25, "10:30"), BKPSDM_PTK, "submit"),
            Step(_at(22, "09:45"), DESIGNER, "take"),
        ),
    ),
    # 15. SIASN data: served by a program that has been delivered and evaluated (fulfilled).
    DemoNeed(
        org=BKPSDM_KOTA,
        data={
            "title": "Pemutakhiran Data Kepegawaian Mandiri melalui SIASN oleh Pengelola "
            "Kepegawaian OPD",
            "urusan_code": "5.03",
            "affected_service": "Pengelolaan data dan layanan kepegawaian ASN Kota Pontianak",
            "problem_statement": (
                "Banyak data ASN Pemerintah Kota Pontianak di Sistem Informasi ASN (SIASN) "
                "belum mutakhir, antara lain riwayat pendidikan, jabatan, dan angka kredit. "
                "Pengelola kepegawaian di OPD belum memahami alur pemutakhiran dan unggah "
                "dokumen di SIASN, sehingga usul kenaikan pangkat dan pensiun sering tertahan "
                "karena data tidak sesuai dengan dokumen pendukungnya."
            ),
            **_pct(
                "Persentase ASN dengan data SIASN yang telah dimutakhirkan dan diverifikasi",
                "64",
                "95",
            ),
            "target_jabatan": "Pengelola Kepegawaian OPD",
            "asn_affected": 36,
            "urgency": "high",
            "urgency_justification": (
                "Usul kenaikan pangkat dan pensiun periode berikutnya mensyaratkan data SIASN "
                "yang valid; usul dengan data yang tidak sesuai akan dikembalikan oleh BKN."
            ),
            "needed_by": date(2026, 9, 30),
            "fiscal_year": 2026,
            "gaps": [_teknis("Pengelolaan data kepegawaian melalui SIASN", 1, 3)],
        },
        steps=(
            Step(_at(97, "09:20"), BKPSDM_PTK, "create"),
            Step(_at(96, "10:00"), BKPSDM_PTK, "submit"),
            Step(_at(94, "13:30"), DESIGNER, "take"),
        ),
    ),
    # 16. SRIKANDI electronic records in Kubu Raya: served by three batches of one training.
    DemoNeed(
        org=KKR,
        data={
            "title": "Pengelolaan Arsip Dinamis Elektronik melalui SRIKANDI di Perangkat Daerah "
            "Kubu Raya",
            "urusan_code": "2.24",
            "affected_service": "Tata naskah dinas dan pengelolaan arsip perangkat daerah",
            "problem_statement": (
                "Pemerintah Kabupaten Kubu Raya telah menetapkan penggunaan Sistem Informasi "
                "Kearsipan Dinamis Terintegrasi (SRIKANDI) untuk seluruh naskah dinas, tetapi "
                "sebagian besar OPD masih membuat surat secara manual lalu memindainya. "
                "Pengelola arsip belum memahami klasifikasi arsip, alur disposisi elektronik, "
                "dan tanda tangan elektronik, sehingga naskah dinas sulit ditelusuri dan "
                "penyusutan arsip tidak dapat dilakukan."
            ),
            **_pct(
                "Persentase naskah dinas keluar yang dibuat dan didistribusikan melalui SRIKANDI",
                "18",
                "80",
            ),
            "target_jabatan": "Arsiparis dan Pengelola Arsip OPD",
            "asn_affected": 90,
            "urgency": "high",
            "urgency_justification": (
                "Hasil pengawasan kearsipan dan indeks SPBE kabupaten bergantung pada penerapan "
                "SRIKANDI, dan seluruh OPD ditargetkan memakai naskah dinas elektronik pada "
                "triwulan pertama tahun 2027."
            ),
            "needed_by": date(2027, 3, 31),
            "fiscal_year": 2026,
            "gaps": [
                _teknis("Pengelolaan arsip dinamis elektronik", 1, 3),
                _listed("manajerial", "M.07", 2, 3),
            ],
        },
        steps=(
            Step(_at(76, "09:10"), BKPSDM_KR, "create"),
            Step(_at(75, "10:40"), BKPSDM_KR, "submit"),
            Step(_at(73, "14:00"), DESIGNER, "take"),
        ),
    ),
)


# ---------------------------------------------------------------------------------------------
# Programs: what the BKN designer offers for the needs above, then the steps each went through.


@dataclass(frozen=True)
class Day:
    """A local calendar day ``working_days`` working days before the history base (after it
    when negative): planned dates and sessions of programs that are or were being delivered."""

    working_days: int


@dataclass(frozen=True)
class DemoSession:
    """A session of a demo program: its day, local start and end (``"HH:MM"``), topic and JP;
    ``location`` defaults to the program's venue."""

    day: date | Day
    starts: str
    ends: str
    topic: str
    jp: int
    location: str | None = None


@dataclass(frozen=True)
class DemoProgram:
    """A demo program: the titles of the needs it serves, places per partner Pemda (by name),
    its content (a :class:`ProgramData` minus ``need_ids``, ``quotas`` and ``fiscal_year``,
    which is the planned start's year; dates may be :class:`Day`), its sessions and its
    history, oldest step first (the first step is ``"create"``)."""

    needs: tuple[str, ...]
    quotas: dict[str, int]
    data: dict
    steps: tuple[Step, ...]
    sessions: tuple[DemoSession, ...] = ()
    l4_progress: Decimal = Decimal(2) / 3
    """Where the L4 measurement lands between baseline (0) and target (1) when closed."""


def _competency(name: str, target: int) -> CompetencyData:
    return CompetencyData(kind="teknis", name=name, code=None, target_level=target)


def _listed_competency(kind: str, code: str, target: int) -> CompetencyData:
    return CompetencyData(kind=kind, name=None, code=code, target_level=target)


def _modules(*modules: tuple[str, int]) -> list[ModuleData]:
    return [ModuleData(title=title, jp=jp) for title, jp in modules]


def _budget(*lines: tuple[str, int, str]) -> list[BudgetData]:
    return [BudgetData(source=s, amount=amount, description=d) for s, amount, d in lines]


def _full_days(days: tuple[date | Day, ...], topics: tuple[str, ...]) -> tuple[DemoSession, ...]:
    """One 8-JP classroom day (08.00–15.30 with breaks) per day, with its topic."""
    return tuple(
        DemoSession(day, "08:00", "15:30", topic, 8)
        for day, topic in zip(days, topics, strict=True)
    )


# Titles of the needs programs serve (defined in NEEDS above).
NEED_RME_PTK = NEEDS[0].data["title"]
NEED_HIPERTENSI = NEEDS[1].data["title"]
NEED_KEUANGAN = NEEDS[4].data["title"]
NEED_TRIASE = NEEDS[6].data["title"]
NEED_RME_KKR = NEEDS[10].data["title"]
NEED_IKD = NEEDS[13].data["title"]
NEED_SIASN = NEEDS[14].data["title"]
NEED_SRIKANDI = NEEDS[15].data["title"]

AULA_BKPSDM = "Aula BKPSDM Kota Pontianak, Jl. Rahadi Usman No. 3, Pontianak"
AULA_KKR = "Aula Kantor Bupati Kubu Raya, Jl. Arteri Supadio, Sungai Raya"
ZOOM = "Zoom BKN Kantor Regional V: https://us06web.zoom.us/j/8{}"

_RME_COMMON = {
    "title": "Pelatihan Rekam Medis Elektronik bagi Petugas Puskesmas",
    "objectives": (
        "Setelah pelatihan, perekam medis dan perawat puskesmas mampu mencatat pendaftaran, "
        "anamnesis, diagnosis, dan tindakan pasien dalam aplikasi rekam medis elektronik, "
        "mengirimkan data kunjungan ke SATUSEHAT setiap hari, serta menangani kegagalan "
        "pengiriman data, sehingga seluruh puskesmas di Kota Pontianak dan Kabupaten Kubu Raya "
        "melaporkan kunjungan secara elektronik."
    ),
    "development_type_id": 3,
    "method": "bauran",
    "venue": (
        "Daring: " + ZOOM.format("4127703316") + "; luring: Aula Dinas Kesehatan Kota Pontianak"
    ),
    "min_attendance_pct": 85,
    "pass_mark": 70,
    "competencies": [
        _competency("Pengelolaan rekam medis elektronik", 3),
        _listed_competency("manajerial", "M.07", 3),
    ],
}

_SRIKANDI_COMMON = {
    "development_type_id": 8,
    "method": "luring",
    "min_attendance_pct": 90,
    "pass_mark": 70,
    "competencies": [
        _competency("Pengelolaan arsip dinamis elektronik", 3),
        _listed_competency("manajerial", "M.07", 3),
    ],
    "modules": _modules(
        ("Kebijakan kearsipan dan tata naskah dinas elektronik", 3),
        ("Klasifikasi arsip dan jadwal retensi arsip", 5),
        ("Praktik pembuatan, pengiriman, dan disposisi naskah dinas di SRIKANDI", 10),
        ("Tanda tangan elektronik dan pengamanan naskah dinas", 3),
        ("Penyusunan daftar arsip aktif dan rencana penerapan di unit kerja", 3),
    ),
}
_SRIKANDI_OBJECTIVES = (
    "Peserta mampu membuat, mengirim, dan mendisposisikan naskah dinas elektronik melalui "
    "SRIKANDI, menerapkan klasifikasi arsip dan tanda tangan elektronik, serta menyusun daftar "
    "arsip aktif unit kerjanya. "
)
_SRIKANDI_TOPICS = (
    "Kebijakan kearsipan, tata naskah dinas elektronik, dan klasifikasi arsip",
    "Praktik pembuatan, pengiriman, dan disposisi naskah dinas di SRIKANDI",
    "Tanda tangan elektronik, daftar arsip aktif, dan rencana penerapan",
)


def _srikandi_budget(apbd: int) -> list[BudgetData]:
    return _budget(
        ("apbn", 21_600_000, "Honorarium narasumber dan instruktur SRIKANDI (24 JP)"),
        ("apbd", apbd, "APBD Kabupaten Kubu Raya: konsumsi, ruang kelas, dan penggandaan modul"),
        ("lainnya", 4_500_000, "CSR Bank Kalbar: sewa laptop praktik"),
    )


PROGRAMS: tuple[DemoProgram, ...] = (
    # Evaluated months ago: the SIASN need it served is fulfilled.
    DemoProgram(
        needs=(NEED_SIASN,),
        quotas={KOTA: 36},
        data={
            "title": "Bimbingan Teknis Pemutakhiran Data Kepegawaian melalui SIASN",
            "objectives": (
                "Setelah bimbingan teknis ini, pengelola kepegawaian OPD mampu memutakhirkan dan "
                "memverifikasi data riwayat ASN di SIASN secara mandiri, mengunggah dokumen "
                "pendukung sesuai ketentuan, serta menyiapkan usul kenaikan pangkat dan pensiun "
                "tanpa pengembalian berkas karena data yang tidak sesuai."
            ),
            "development_type_id": 8,
            "method": "luring",
            "planned_start": Day(62),
            "planned_end": Day(61),
            "venue": AULA_BKPSDM,
            "min_attendance_pct": 90,
            "pass_mark": 75,
            "competencies": [
                _competency("Pengelolaan data kepegawaian melalui SIASN", 3),
                _listed_competency("manajerial", "M.04", 3),
            ],
            "modules": _modules(
                ("Kebijakan manajemen data ASN dan peran pengelola kepegawaian", 2),
                ("Pemutakhiran data riwayat pendidikan, jabatan, dan pangkat di SIASN", 6),
                ("Unggah dan verifikasi dokumen elektronik", 4),
                ("Praktik penyiapan usul kenaikan pangkat dan pensiun", 4),
            ),
            "budget": _budget(
                ("apbn", 14_400_000, "Honorarium narasumber BKN (16 JP)"),
                ("apbd", 10_800_000, "APBD Kota Pontianak: konsumsi peserta selama dua hari"),
                ("apbd", 2_160_000, "APBD Kota Pontianak: penggandaan bahan ajar"),
            ),
        },
        sessions=_full_days(
            (Day(62), Day(61)),
            (
                "Kebijakan manajemen data ASN; pemutakhiran data riwayat di SIASN",
                "Unggah dan verifikasi dokumen; praktik penyiapan usul layanan",
            ),
        ),
        steps=(
            Step(_at(92, "09:00"), DESIGNER, "create"),
            Step(_at(91, "14:00"), DESIGNER, "propose"),
            Step(_at(89, "10:00"), BKN_OFFICIAL, "approve"),
            Step(_at(88, "11:30"), BKPSDM_PTK, "approve"),
            Step(_at(80, "10:00"), DESIGNER, "add_sessions"),
            Step(_at(80, "10:20"), DESIGNER, "schedule"),
            Step(_at(62, "07:45"), DESIGNER, "start"),
            Step(_at(61, "16:00"), DESIGNER, "complete"),
            Step(_at(20, "10:00"), DESIGNER, "close"),
        ),
    ),
    # SRIKANDI batch I: delivered last month, evaluation pending.
    DemoProgram(
        needs=(NEED_SRIKANDI,),
        quotas={KKR: 30},
        data={
            **_SRIKANDI_COMMON,
            "title": "Bimbingan Teknis Pengelolaan Arsip Dinamis melalui SRIKANDI Angkatan I",
            "objectives": _SRIKANDI_OBJECTIVES
            + (
                "Angkatan I diperuntukkan bagi pengelola arsip Sekretariat Daerah, BKPSDM, dan "
                "dinas yang menjadi percontohan naskah dinas elektronik."
            ),
            "planned_start": Day(35),
            "planned_end": Day(33),
            "venue": AULA_KKR,
            "budget": _srikandi_budget(16_200_000),
        },
        sessions=_full_days((Day(35), Day(34), Day(33)), _SRIKANDI_TOPICS),
        steps=(
            Step(_at(71, "09:30"), DESIGNER, "create"),
            Step(_at(70, "15:00"), DESIGNER, "propose"),
            Step(_at(68, "10:00"), BKN_OFFICIAL, "approve"),
            Step(_at(67, "09:30"), BKPSDM_KR, "approve"),
            Step(_at(60, "10:00"), DESIGNER, "add_sessions"),
            Step(_at(60, "10:30"), DESIGNER, "schedule"),
            Step(_at(35, "07:45"), DESIGNER, "start"),
            Step(_at(33, "16:00"), DESIGNER, "complete"),
        ),
    ),
    # SRIKANDI batch II: in delivery (started yesterday, last day on the next working day).
    DemoProgram(
        needs=(NEED_SRIKANDI,),
        quotas={KKR: 30},
        data={
            **_SRIKANDI_COMMON,
            "title": "Bimbingan Teknis Pengelolaan Arsip Dinamis melalui SRIKANDI Angkatan II",
            "objectives": _SRIKANDI_OBJECTIVES
            + (
                "Angkatan II diperuntukkan bagi pengelola arsip dinas, badan, dan kantor "
                "kecamatan di wilayah daratan."
            ),
            "planned_start": Day(1),
            "planned_end": Day(-1),
            "venue": AULA_KKR,
            "budget": _srikandi_budget(16_200_000),
        },
        sessions=_full_days((Day(1), Day(0), Day(-1)), _SRIKANDI_TOPICS),
        steps=(
            Step(_at(45, "09:00"), DESIGNER, "create"),
            Step(_at(44, "14:00"), DESIGNER, "propose"),
            Step(_at(42, "10:30"), BKN_OFFICIAL, "approve"),
            Step(_at(41, "09:00"), BKPSDM_KR, "approve"),
            Step(_at(30, "10:00"), DESIGNER, "add_sessions"),
            Step(_at(30, "10:20"), DESIGNER, "schedule"),
            Step(_at(1, "07:45"), DESIGNER, "start"),
        ),
    ),
    # SRIKANDI batch III: Kubu Raya asked for a venue closer to the coastal districts.
    DemoProgram(
        needs=(NEED_SRIKANDI,),
        quotas={KKR: 30},
        data={
            **_SRIKANDI_COMMON,
            "title": "Bimbingan Teknis Pengelolaan Arsip Dinamis melalui SRIKANDI Angkatan III",
            "objectives": _SRIKANDI_OBJECTIVES
            + (
                "Angkatan III diperuntukkan bagi pengelola arsip kantor kecamatan, puskesmas, "
                "dan UPT di wilayah pesisir."
            ),
            "planned_start": date(2027, 1, 19),
            "planned_end": date(2027, 1, 21),
            "venue": AULA_KKR,
            "budget": _srikandi_budget(16_200_000),
        },
        steps=(
            Step(_at(8, "13:00"), DESIGNER, "create"),
            Step(_at(7, "09:30"), DESIGNER, "propose"),
            Step(_at(6, "10:00"), BKN_OFFICIAL, "approve"),
            Step(
                _at(5, "14:00"),
                BKPSDM_KR,
                "request_changes",
                "Sebagian besar peserta Angkatan III bertugas di Kecamatan Batu Ampar, Kubu, dan "
                "Teluk Pakedai yang harus menempuh perjalanan air lebih dari empat jam ke Sungai "
                "Raya. Mohon penyelenggaraan dipindahkan ke Kantor Camat Batu Ampar, atau "
                "tambahkan satu hari perjalanan beserta biaya penginapan dalam rincian anggaran. "
                "Jadwal 19–21 Januari juga bertepatan dengan rapat kerja daerah.",
            ),
        ),
    ),
    # Bimtek keuangan daring, proposed and then cancelled in favour of the classroom one.
    DemoProgram(
        needs=(NEED_KEUANGAN,),
        quotas={KOTA: 60},
        data={
            "title": "Bimbingan Teknis Penatausahaan Keuangan melalui SIPD secara Daring",
            "objectives": (
                "Peserta mampu menginput dokumen penatausahaan pengeluaran dan menyusun surat "
                "pertanggungjawaban bendahara di SIPD melalui kelas daring terjadwal dan latihan "
                "mandiri."
            ),
            "development_type_id": 17,
            "method": "daring",
            "planned_start": date(2027, 1, 12),
            "planned_end": date(2027, 1, 15),
            "venue": ZOOM.format("6123457710"),
            "min_attendance_pct": 80,
            "pass_mark": 70,
            "competencies": [_competency("Pengelolaan keuangan daerah berbasis SIPD", 3)],
            "modules": _modules(
                ("Regulasi penatausahaan keuangan daerah", 4),
                ("Penatausahaan pengeluaran di SIPD", 8),
                ("Penyusunan SPJ bendahara pengeluaran", 8),
                ("Latihan mandiri dan konsultasi daring", 4),
            ),
            "budget": _budget(
                ("apbn", 18_000_000, "Honorarium narasumber dan moderator kelas daring"),
                ("apbd", 3_600_000, "APBD Kota Pontianak: paket data internet peserta"),
            ),
        },
        steps=(
            Step(_at(15, "14:00"), DESIGNER, "create"),
            Step(_at(14, "10:00"), DESIGNER, "propose"),
            Step(
                _at(13, "14:30"),
                BKN_OFFICIAL,
                "cancel",
                "Dibatalkan atas permintaan BKAD Kota Pontianak: sebagian besar bendahara baru "
                "memerlukan praktik langsung di SIPD dengan pendampingan tatap muka, dan koneksi "
                "internet di beberapa OPD tidak stabil. Materinya digabungkan ke dalam Bimbingan "
                "Teknis Pengelolaan Keuangan Daerah yang diselenggarakan secara klasikal.",
            ),
        ),
    ),
    # Bimtek keuangan klasikal: approved by both parties and scheduled.
    DemoProgram(
        needs=(NEED_KEUANGAN,),
        quotas={KOTA: 60},
        data={
            "title": "Bimbingan Teknis Pengelolaan Keuangan Daerah",
            "objectives": (
                "Peserta mampu melaksanakan penatausahaan pengeluaran dan menyusun laporan "
                "pertanggungjawaban bendahara di SIPD sesuai ketentuan, memilih kode rekening "
                "belanja dengan tepat, melengkapi bukti pengeluaran, dan melakukan rekonsiliasi, "
                "sehingga SPJ OPD tidak lagi dikembalikan dan laporan keuangan disampaikan tepat "
                "waktu."
            ),
            "development_type_id": 8,
            "method": "luring",
            "planned_start": date(2027, 2, 1),
            "planned_end": date(2027, 2, 4),
            "venue": AULA_BKPSDM,
            "min_attendance_pct": 90,
            "pass_mark": 70,
            "competencies": [
                _competency("Pengelolaan keuangan daerah berbasis SIPD", 3),
                _listed_competency("manajerial", "M.01", 3),
            ],
            "modules": _modules(
                ("Regulasi pengelolaan keuangan daerah", 4),
                ("Kode rekening dan akuntansi belanja", 6),
                ("Penatausahaan pengeluaran di SIPD", 8),
                ("Penyusunan SPJ dan kelengkapan bukti pengeluaran", 8),
                ("Rekonsiliasi dan studi kasus temuan pemeriksaan", 6),
            ),
            "budget": _budget(
                ("apbn", 28_800_000, "Honorarium narasumber dan fasilitator (32 JP)"),
                ("apbd", 36_000_000, "APBD Kota Pontianak: konsumsi peserta dan panitia"),
                ("apbd", 6_000_000, "APBD Kota Pontianak: penggandaan modul dan bahan praktik"),
            ),
        },
        sessions=_full_days(
            (date(2027, 2, 1), date(2027, 2, 2), date(2027, 2, 3), date(2027, 2, 4)),
            (
                "Regulasi pengelolaan keuangan daerah; kode rekening dan akuntansi belanja",
                "Penatausahaan pengeluaran di SIPD",
                "Penyusunan SPJ dan kelengkapan bukti pengeluaran",
                "Rekonsiliasi dan studi kasus temuan pemeriksaan",
            ),
        ),
        steps=(
            Step(_at(13, "09:00"), DESIGNER, "create"),
            Step(_at(12, "10:00"), DESIGNER, "propose"),
            Step(_at(11, "09:30"), BKN_OFFICIAL, "approve"),
            Step(_at(10, "14:00"), BKPSDM_PTK, "approve"),
            Step(_at(8, "10:00"), DESIGNER, "add_sessions"),
            Step(_at(8, "10:30"), DESIGNER, "schedule"),
        ),
    ),
    # Approved by BKN and Kota Pontianak; sessions not planned yet.
    DemoProgram(
        needs=(NEED_IKD,),
        quotas={KOTA: 18},
        data={
            "title": "Pelatihan Pelayanan Publik Berbasis Teknologi Informasi",
            "objectives": (
                "Petugas pelayanan administrasi kependudukan mampu memandu warga mengaktifkan "
                "Identitas Kependudukan Digital, menangani kendala verifikasi dan aplikasi "
                "secara mandiri, memanfaatkan kanal layanan daring Pemerintah Kota Pontianak, "
                "serta melayani dengan ramah dan tuntas sesuai standar pelayanan."
            ),
            "development_type_id": 3,
            "method": "bauran",
            "planned_start": date(2027, 4, 5),
            "planned_end": date(2027, 4, 16),
            "venue": "Daring: " + ZOOM.format("5390218874") + "; luring: " + AULA_BKPSDM,
            "min_attendance_pct": 85,
            "pass_mark": 75,
            "competencies": [
                _competency("Pelayanan administrasi kependudukan digital", 2),
                _competency("Pengelolaan layanan publik berbasis teknologi informasi", 3),
                _listed_competency("manajerial", "M.05", 3),
            ],
            "modules": _modules(
                ("Kebijakan SPBE dan transformasi layanan publik digital", 4),
                ("Identitas Kependudukan Digital: aktivasi, verifikasi, dan pemanfaatan", 10),
                ("Pengelolaan layanan daring dan penanganan kendala pengguna", 10),
                ("Pelindungan data pribadi penduduk", 4),
                ("Pelayanan prima dan komunikasi dengan warga", 6),
                ("Praktik di loket pelayanan dan rencana tindak lanjut", 6),
            ),
            "budget": _budget(
                ("apbn", 36_000_000, "Honorarium narasumber dan fasilitator (40 JP)"),
                ("apbd", 14_400_000, "APBD Kota Pontianak: konsumsi dan transport sesi luring"),
            ),
        },
        steps=(
            Step(_at(20, "09:30"), DESIGNER, "create"),
            Step(_at(19, "14:00"), DESIGNER, "propose"),
            Step(_at(17, "10:00"), BKN_OFFICIAL, "approve"),
            Step(_at(16, "13:30"), BKPSDM_PTK, "approve"),
        ),
    ),
    # Rejected by BKN: a one-day seminar does not build the skills the need asks for.
    DemoProgram(
        needs=(NEED_HIPERTENSI,),
        quotas={KOTA: 30},
        data={
            "title": "Seminar Pencegahan dan Pengendalian Hipertensi bagi Pengelola Posbindu PTM",
            "objectives": (
                "Meningkatkan pemahaman pengelola Posbindu PTM dan perawat puskesmas tentang "
                "faktor risiko hipertensi, target pengendalian tekanan darah, dan pentingnya "
                "pemantauan berkala penderita."
            ),
            "development_type_id": 9,
            "method": "daring",
            "planned_start": date(2027, 2, 3),
            "planned_end": date(2027, 2, 3),
            "venue": ZOOM.format("7264410952"),
            "min_attendance_pct": 80,
            "pass_mark": 70,
            "competencies": [_competency("Skrining dan tata laksana penyakit tidak menular", 3)],
            "modules": _modules(
                ("Situasi hipertensi dan capaian SPM di Kota Pontianak", 2),
                ("Faktor risiko dan target pengendalian tekanan darah", 2),
                ("Diskusi panel: peran Posbindu dalam pemantauan penderita", 2),
            ),
            "budget": _budget(
                ("apbn", 4_500_000, "Honorarium narasumber dan moderator"),
                ("apbd", 1_500_000, "APBD Kota Pontianak: paket data internet peserta"),
            ),
        },
        steps=(
            Step(_at(9, "10:00"), DESIGNER, "create"),
            Step(_at(9, "15:00"), DESIGNER, "propose"),
            Step(_at(8, "10:30"), BKPSDM_PTK, "approve"),
            Step(
                _at(7, "15:00"),
                BKN_OFFICIAL,
                "reject",
                "Seminar satu hari tidak menjawab kesenjangan yang diusulkan Dinas Kesehatan, "
                "yaitu keterampilan mengukur tekanan darah sesuai standar, menentukan kriteria "
                "rujukan, dan menjadwalkan kunjungan ulang. Program perlu dirancang ulang sebagai "
                "pelatihan teknis dengan praktik terbimbing di Posbindu, simulasi alur rujukan, "
                "dan penilaian keterampilan peserta.",
            ),
        ),
    ),
    # Serves Kota Pontianak and Kubu Raya; revision 2 after Pontianak asked for changes,
    # approved by BKN and Kubu Raya, waiting for Pontianak. Proposed 4 working days before the
    # last working day, so its sign-off (5 working days, collab/sla.py) is due on the next
    # working day: the demo's "due soon" proposal ("Menunggu Pemda · hari ini").
    DemoProgram(
        needs=(NEED_RME_PTK, NEED_RME_KKR),
        quotas={KOTA: 40, KKR: 30},
        data={
            **_RME_COMMON,
            "planned_start": date(2027, 1, 11),
            "planned_end": date(2027, 1, 22),
            "modules": _modules(
                ("Kebijakan rekam medis elektronik dan integrasi SATUSEHAT", 2),
                ("Standar data, kode diagnosis ICD-10, dan keamanan data pasien", 4),
                ("Praktik pencatatan pendaftaran dan pemeriksaan dalam aplikasi RME", 8),
                ("Pengiriman data kunjungan ke SATUSEHAT dan penanganan galat", 6),
                ("Rencana tindak lanjut penerapan di puskesmas", 4),
            ),
            "budget": _budget(
                ("apbn", 32_400_000, "Honorarium narasumber dan fasilitator (24 JP)"),
                ("apbn", 6_000_000, "Penyusunan modul dan bahan latihan aplikasi"),
                ("apbd", 22_000_000, "APBD Kota Pontianak: konsumsi dan transport sesi luring"),
                ("apbd", 16_500_000, "APBD Kabupaten Kubu Raya: transport peserta puskesmas"),
            ),
        },
        steps=(
            Step(_at(6, "09:00"), DESIGNER, "create"),
            Step(_at(6, "14:00"), DESIGNER, "propose"),
            Step(_at(5, "10:00"), BKPSDM_KR, "approve"),
            Step(
                _at(5, "15:30"),
                BKPSDM_PTK,
                "request_changes",
                "Kuota 40 orang belum cukup: setiap puskesmas di Kota Pontianak perlu mengirim "
                "perekam medis dan perawat penanggung jawab pendaftaran, sehingga kami mohon "
                "kuota Kota Pontianak menjadi 46 orang. Jadwal 11–22 Januari bertepatan dengan "
                "penyusunan laporan tahunan puskesmas; mohon digeser ke akhir Januari dan porsi "
                "praktik langsung pada aplikasi ditambah.",
            ),
            Step(
                _at(4, "10:00"),
                DESIGNER,
                "edit",
                changes={
                    "quotas": {KOTA: 46, KKR: 30},
                    "planned_start": date(2027, 1, 25),
                    "planned_end": date(2027, 2, 5),
                    "modules": _modules(
                        ("Kebijakan rekam medis elektronik dan integrasi SATUSEHAT", 2),
                        ("Standar data, kode diagnosis ICD-10, dan keamanan data pasien", 4),
                        ("Praktik pencatatan pendaftaran dan pemeriksaan dalam aplikasi RME", 10),
                        ("Pengiriman data kunjungan ke SATUSEHAT dan penanganan galat", 6),
                        ("Rencana tindak lanjut penerapan di puskesmas", 2),
                    ),
                    "budget": _budget(
                        ("apbn", 32_400_000, "Honorarium narasumber dan fasilitator (24 JP)"),
                        ("apbn", 6_000_000, "Penyusunan modul dan bahan latihan aplikasi"),
                        (
                            "apbd",
                            25_300_000,
                            "APBD Kota Pontianak: konsumsi dan transport sesi luring",
                        ),
                        (
                            "apbd",
                            16_500_000,
                            "APBD Kabupaten Kubu Raya: transport peserta puskesmas",
                        ),
                    ),
                },
            ),
            Step(_at(4, "11:00"), DESIGNER, "propose"),
            Step(_at(3, "09:30"), BKN_OFFICIAL, "approve"),
            Step(_at(2, "10:15"), BKPSDM_KR, "approve"),
        ),
    ),
    # A draft the designer started after the RSUD's need came in yesterday.
    DemoProgram(
        needs=(NEED_TRIASE,),
        quotas={KOTA: 22},
        data={
            "title": "Coaching Triase Gawat Darurat",
            "objectives": (
                "Perawat dan dokter jaga IGD mampu menerapkan kategori triase secara konsisten "
                "sejak pasien tiba, menilai ulang pasien yang menunggu, dan mengomunikasikan "
                "prioritas penanganan kepada tim, sehingga median waktu tanggap IGD turun menjadi "
                "lima menit atau kurang."
            ),
            "development_type_id": 14,
            "method": "luring",
            "planned_start": date(2027, 2, 1),
            "planned_end": date(2027, 2, 26),
            "venue": "Instalasi Gawat Darurat RSUD Sultan Syarif Mohamad Alkadrie, Pontianak",
            "min_attendance_pct": 90,
            "pass_mark": 75,
            "competencies": [
                _competency("Triase gawat darurat", 3),
                _listed_competency("manajerial", "M.08", 3),
            ],
            "modules": _modules(
                ("Kategori triase dan penilaian awal pasien", 2),
                ("Simulasi triase kasus trauma dan nontrauma", 4),
                ("Coaching langsung pada jadwal jaga IGD", 4),
                ("Umpan balik, refleksi kasus, dan rencana tindak lanjut", 2),
            ),
            "budget": _budget(
                ("apbn", 7_200_000, "Honorarium coach (12 JP)"),
                ("apbd", 3_300_000, "APBD Kota Pontianak: bahan simulasi dan konsumsi refleksi"),
            ),
        },
        steps=(Step(_at(0, "14:30"), DESIGNER, "create"),),
    ),
)


# ---------------------------------------------------------------------------------------------


def seed_demo() -> bool:
    """Create the demo organisations, accounts, needs and programs that do not exist yet, and
    commit.

    Runs inside an application context. Returns True when anything was created, False when
    all demo data was already present (then nothing is written).
    """
    orgs, created_orgs = _seed_organizations()
    users, created_users = _seed_users(orgs)
    base = _history_base(utcnow())
    created_needs = _seed_needs(orgs, users, base)
    created_programs = _seed_programs(orgs, users, base)
    created_comments = _seed_comments(users, base)
    created_files = _seed_attachments(users)
    created = (
        created_orgs
        or created_users
        or created_needs
        or created_programs
        or created_comments
        or created_files
    )
    if created:
        _mark_old_notifications_read()
        db.session.commit()
    return created


def _mark_old_notifications_read() -> None:
    """Demo users have read what is older than two weeks; newer notifications stay unread."""
    cutoff = utcnow() - timedelta(days=14)
    db.session.execute(
        sa.update(Notification)
        .where(Notification.read_at.is_(None), Notification.created_at < cutoff)
        .values(read_at=utcnow())
    )


def _seed_organizations() -> tuple[dict[str, Organization], bool]:
    """Get or create every demo organisation; returns them by name and whether any was new."""
    orgs: dict[str, Organization] = {}
    created = False
    for name, kind, parent, region_code, zone in ORGANIZATIONS:
        org = db.session.scalar(sa.select(Organization).where(Organization.name == name))
        if org is None:
            org = create_organization(
                None,
                name=name,
                kind=kind,
                parent=orgs[parent] if parent else None,
                region_code=region_code,
                timezone=zone,
            )
            created = True
        orgs[name] = org
    return orgs, created


def _seed_users(orgs: dict[str, Organization]) -> tuple[dict[str, User], bool]:
    """Get or create every demo account; returns them by e-mail and whether any was new."""
    users: dict[str, User] = {}
    created = False
    for email, name, role, org_name in USERS:
        user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))
        if user is None:
            user = create_user(
                None,
                email=email,
                name=name,
                role=role,
                org=orgs[org_name],
                password=DEMO_PASSWORD,
            )
            created = True
        users[email] = user
    return users, created


def _seed_needs(orgs: dict[str, Organization], users: dict[str, User], base: date) -> bool:
    """Create each demo need that does not exist yet (by title) and replay its history."""
    db.session.flush()  # write the organisation and account audit rows with their own times
    created = False
    for spec in NEEDS:
        exists = db.session.scalar(sa.select(Need.id).where(Need.title == spec.data["title"]))
        if exists is None:
            _replay(spec, orgs, users, base)
            created = True
    return created


def _replay(
    spec: DemoNeed, orgs: dict[str, Organization], users: dict[str, User], base: date
) -> Need:
    """File one demo need and take it through its steps at back-dated times."""
    values = {k: _resolve_year(v, base) for k, v in spec.data.items()}
    data = NeedData(org_id=orgs[spec.org].id, **values)
    first, *rest = spec.steps  # the first step is always "create"
    created_at = _moment(base, first.when)
    with _audit_time(created_at):
        need = create_need(users[first.actor], data)
    at = created_at
    for step in rest:
        at = _moment(base, step.when)
        actor = users[step.actor]
        with _audit_time(at):
            if step.action == "edit":
                for key, value in step.changes.items():
                    setattr(data, key, value)
                update_need(actor, need, data, expected_version=need.version)
            else:
                transition_need(
                    actor,
                    need,
                    step.action,
                    expected_version=need.version,
                    comment=step.comment,
                    now=at,
                )
    _backdate(need, created_at, at)
    return need


def _backdate(need: Need, created_at: datetime, last_at: datetime) -> None:
    """Set the need's creation and last-change times to its history's, without bumping the
    optimistic-lock version (a plain table UPDATE)."""
    values = {"created_at": created_at, "updated_at": last_at, "status_changed_at": last_at}
    table = Need.__table__
    db.session.execute(sa.update(table).where(table.c.id == need.id).values(**values))
    for key, value in values.items():
        set_committed_value(need, key, value)


def _seed_programs(orgs: dict[str, Organization], users: dict[str, User], base: date) -> bool:
    """Create each demo program that does not exist yet (by title) and replay its history.

    The steps of all new programs run in time order, so one program's effects on the needs
    it shares with another (a cancellation that would release them) are judged at the right
    moment. A program whose needs are missing or no longer linkable (a demo database someone
    has worked in) is left out."""
    db.session.flush()
    todo = [
        spec
        for spec in PROGRAMS
        if db.session.scalar(sa.select(Program.id).where(Program.title == spec.data["title"]))
        is None
    ]
    timeline = sorted(
        (_moment(base, step.when), i, j)
        for i, spec in enumerate(todo)
        for j, step in enumerate(spec.steps)
    )
    runs: dict[int, _ProgramRun] = {}
    skipped: set[int] = set()
    for at, i, j in timeline:
        spec, step = todo[i], todo[i].steps[j]
        if i in skipped:
            continue
        with _audit_time(at):
            if step.action == "create":
                run = _create_program(spec, step, at, orgs, users, base)
                if run is None:
                    skipped.add(i)
                    continue
                runs[i] = run
            else:
                _program_step(spec, runs[i], step, at, orgs, users, base)
    for run in runs.values():
        _backdate_program(run)
    _backdate_linked_needs([run.program_id for run in runs.values()])
    return bool(runs)


@dataclass
class _ProgramRun:
    """A demo program being replayed: its id, the data the designer enters and its times."""

    program_id: int
    data: ProgramData
    created_at: datetime
    status_changed_at: datetime
    last_at: datetime


SIGN_OFF_ACTIONS = frozenset(
    t.action for t in program_wf.PROGRAM_TRANSITIONS if "sign_off" in t.effects
)


@contextmanager
def _audit_time(when: datetime) -> Iterator[None]:
    """Date every audit row written inside the block ``when`` instead of now, also those a
    service flushes before it returns."""
    session = db.session()

    def stamp(session, flush_context, instances) -> None:
        for obj in session.new:
            stamped = AuditEvent | Notification | EmailOutbox | Comment
            if isinstance(obj, stamped) and obj.created_at is None:
                obj.created_at = when
            if isinstance(obj, EmailOutbox):
                obj.next_attempt_at = when

    event.listen(session, "before_flush", stamp)
    try:
        yield
        session.flush()
    finally:
        event.remove(session, "before_flush", stamp)


@dataclass(frozen=True)
class FiscalYear:
    """A fiscal year ``delta`` years from the history base's year (demo needs of the region)."""

    delta: int


def _resolve_year(value, base: date):
    return base.year + value.delta if isinstance(value, FiscalYear) else value


def _resolve(value, base: date):
    return _workday(base, value.working_days) if isinstance(value, Day) else value


def _program_values(values: dict, orgs: dict[str, Organization], base: date) -> dict:
    """Demo program data as :class:`ProgramData` fields: days resolved, quotas by org id."""
    out = {key: _resolve(value, base) for key, value in values.items()}
    if "quotas" in out:
        out["quotas"] = {orgs[name].id: places for name, places in out["quotas"].items()}
    return out


def _create_program(
    spec: DemoProgram,
    step: Step,
    at: datetime,
    orgs: dict[str, Organization],
    users: dict[str, User],
    base: date,
) -> _ProgramRun | None:
    needs = list(db.session.scalars(sa.select(Need).where(Need.title.in_(spec.needs))).unique())
    if len(needs) != len(spec.needs) or any(n.status not in LINKABLE_NEED_STATES for n in needs):
        return None
    values = _program_values({**spec.data, "quotas": spec.quotas}, orgs, base)
    data = ProgramData(
        need_ids=sorted(n.id for n in needs),
        fiscal_year=values["planned_start"].year,
        **values,
    )
    program = create_program(users[step.actor], data, now=at)
    return _ProgramRun(program.id, data, created_at=at, status_changed_at=at, last_at=at)


def _program_step(
    spec: DemoProgram,
    run: _ProgramRun,
    step: Step,
    at: datetime,
    orgs: dict[str, Organization],
    users: dict[str, User],
    base: date,
) -> None:
    """Take one step of a demo program's history at ``at``."""
    actor = users[step.actor]
    program = db.session.get(Program, run.program_id)
    if step.action == "edit":
        for key, value in _program_values(step.changes, orgs, base).items():
            setattr(run.data, key, value)
        run.data.fiscal_year = run.data.planned_start.year
        update_program(actor, program, run.data, expected_version=program.version, now=at)
    elif step.action == "add_sessions":
        for session in spec.sessions:
            day = _resolve(session.day, base)
            add_session(
                actor,
                program,
                SessionData(
                    starts_local=datetime.combine(day, time.fromisoformat(session.starts)),
                    ends_local=datetime.combine(day, time.fromisoformat(session.ends)),
                    location=session.location or program.venue,
                    topic=session.topic,
                    jp=session.jp,
                ),
            )
    else:
        before = program.status
        if step.action in SIGN_OFF_ACTIONS:
            check = {"expected_revision": program.current_revision}
        else:
            check = {"expected_version": program.version}
        if step.action == "start":
            _seed_participants(program, users, at)
        if step.action == "complete":
            _seed_attendance_and_scores(program, users, at)
        if step.action == "close":
            _seed_evaluation(program, users, at, spec.l4_progress)
        transition_program(actor, program, step.action, comment=step.comment, now=at, **check)
        program = db.session.get(Program, run.program_id)
        if program.status != before:
            run.status_changed_at = at
    run.last_at = at


def _backdate_program(run: _ProgramRun) -> None:
    """Set a program's creation, last-change and status-change times to its history's, without
    bumping the optimistic-lock version (a plain table UPDATE)."""
    values = {
        "created_at": run.created_at,
        "updated_at": run.last_at,
        "status_changed_at": run.status_changed_at,
    }
    table = Program.__table__
    db.session.execute(sa.update(table).where(table.c.id == run.program_id).values(**values))
    program = db.session.get(Program, run.program_id)
    for key, value in values.items():
        set_committed_value(program, key, value)


def _backdate_linked_needs(program_ids: list[int]) -> None:
    """Needs moved by the programs (accepted, released, fulfilled) were last changed when
    their status changed, not at seeding time."""
    if not program_ids:
        return
    linked = sa.select(program_need.c.need_id).where(program_need.c.program_id.in_(program_ids))
    table = Need.__table__
    db.session.execute(
        sa.update(table)
        .where(table.c.id.in_(linked), table.c.updated_at > table.c.status_changed_at)
        .values(updated_at=table.c.status_changed_at)
    )
    for need in db.session.scalars(sa.select(Need).where(Need.id.in_(linked))).unique():
        db.session.expire(need, ["updated_at"])


# ---------------------------------------------------------------------------------------------
# Conversation: comments of both visibilities, with a mention (notifications follow).

COMMENTS: tuple[tuple[str, str, str, str, str, When], ...] = (
    # (need or program, title, author, visibility, body, when)
    (
        "need",
        "Penerapan Rekam Medis Elektronik Terintegrasi SATUSEHAT di Puskesmas",
        DESIGNER,
        "shared",
        "Terima kasih, datanya lengkap. @Uray Firmansyah, S.STP., M.Si. mohon konfirmasi "
        "jumlah puskesmas yang **sudah** memakai SIMPUS, agar kuota per angkatan tepat.",
        _at(3, "10:15"),
    ),
    (
        "need",
        "Penerapan Rekam Medis Elektronik Terintegrasi SATUSEHAT di Puskesmas",
        BKPSDM_PTK,
        "internal",
        "Catatan internal Pemda: Dinkes sudah menyiapkan data 23 puskesmas; menunggu "
        "konfirmasi Kepala Dinas sebelum dijawab ke BKN.",
        _at(2, "14:40"),
    ),
    (
        "program",
        "Pelatihan Rekam Medis Elektronik bagi Petugas Puskesmas",
        BKN_OFFICIAL,
        "internal",
        "Internal BKN: anggaran narasumber perlu dicocokkan dengan DIPA Kanreg V sebelum "
        "jadwal dikunci.",
        _at(2, "09:05"),
    ),
    (
        "program",
        "Pelatihan Rekam Medis Elektronik bagi Petugas Puskesmas",
        BKPSDM_PTK,
        "shared",
        "Kami siap menyediakan ruang pelatihan di BKPSDM. Mohon jadwal tidak bentrok dengan "
        "penutupan laporan bulanan puskesmas (tanggal 1–5).",
        _at(1, "11:30"),
    ),
)


def _seed_comments(users: dict[str, User], base: date) -> bool:
    """Post the demo comments whose parent exists and that are not there yet (by text)."""
    from collab.comments.services import add_comment

    created = False
    for kind, title, author, visibility, body, when in COMMENTS:
        model = Need if kind == "need" else Program
        parent = db.session.scalar(sa.select(model).where(model.title == title))
        if parent is None or db.session.scalar(sa.select(Comment.id).where(Comment.body == body)):
            continue
        with _audit_time(_moment(base, when)):
            add_comment(users[author], parent, body, visibility)
        created = True
    return created


# ---------------------------------------------------------------------------------------------
# Attachments: small generated PDFs on a need, on a program and on a comment.

ATTACHMENT_NEED = "Penerapan Rekam Medis Elektronik Terintegrasi SATUSEHAT di Puskesmas"
ATTACHMENT_PROGRAM = _RME_COMMON["title"]
ATTACHMENT_COMMENT = (
    "Rekap kunjungan puskesmas triwulan III terlampir sebagai data dasar indikator."
)
DEMO_ATTACHMENTS: tuple[tuple[str, str, str, str], ...] = (
    # (need or program, uploader e-mail, file name, the PDF's one line of text)
    (
        "need",
        DINKES_PTK,
        "Data Dasar Rekam Medis Puskesmas 2026.pdf",
        "Data dasar: 35% puskesmas mengirim data kunjungan secara elektronik.",
    ),
    (
        "program",
        DESIGNER,
        "Kurikulum Pelatihan RME – Draf.pdf",
        "Kurikulum Pelatihan Rekam Medis Elektronik (32 JP).",
    ),
)
DEMO_COMMENT_FILE = ("Rekap Kunjungan Triwulan III.pdf", "Rekap kunjungan puskesmas triwulan III.")


def demo_pdf(line: str) -> bytes:
    """A minimal valid one-page PDF (A4, Helvetica) showing ``line``; a few hundred bytes.
    Characters outside Latin-1 become ``?``."""
    text = line.replace("\u2013", "-").replace("\u2014", "-").encode("latin-1", "replace")
    text = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    content = b"BT /F1 12 Tf 56 780 Td (" + text + b") Tj ET"
    objects = (
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _seed_attachments(users: dict[str, User]) -> bool:
    """Attach the demo PDFs that are not there yet (by parent and file name), and post the
    demo comment with its PDF on the need when missing. Parents missing from a partly seeded
    database are skipped."""
    from io import BytesIO

    from collab.attachments.services import Upload, add_attachments, add_comment_with_attachments

    db.session.flush()
    created = False
    need = db.session.scalar(sa.select(Need).where(Need.title == ATTACHMENT_NEED))
    program = db.session.scalar(sa.select(Program).where(Program.title == ATTACHMENT_PROGRAM))
    parents = {"need": need, "program": program}
    for entity, email, name, line in DEMO_ATTACHMENTS:
        parent = parents[entity]
        if parent is None:
            continue
        exists = db.session.scalar(
            sa.select(Attachment.id).where(
                Attachment.entity_type == entity,
                Attachment.entity_id == parent.id,
                Attachment.original_name == name,
            )
        )
        if exists is None:
            add_attachments(users[email], parent, [Upload(name, BytesIO(demo_pdf(line)))])
            created = True
    if need is not None:
        exists = db.session.scalar(
            sa.select(Comment.id).where(
                Comment.entity_type == "need",
                Comment.entity_id == need.id,
                Comment.body == ATTACHMENT_COMMENT,
            )
        )
        if exists is None:
            name, line = DEMO_COMMENT_FILE
            add_comment_with_attachments(
                users[DINKES_PTK],
                need,
                ATTACHMENT_COMMENT,
                "shared",
                [Upload(name, BytesIO(demo_pdf(line)))],
            )
            created = True
    return created


# ---------------------------------------------------------------------------------------------
# Delivery: enrolled participants (valid NIPs) before a program starts; attendance and pre/post
# scores before it completes, with a few who miss sessions or the pass mark.

PARTICIPANT_NAMES = (
    # (name, jabatan, sex digit of the NIP: 1 male, 2 female, unit)
    ("Siti Nurhaliza, A.Md.", "Pengadministrasi Perkantoran", 2, "Sekretariat Daerah"),
    ("Rudi Hartono, S.Kom.", "Pranata Komputer Ahli Pertama", 1, "Dinas Kominfo"),
    ("Fitri Handayani, S.E.", "Analis Sumber Daya Manusia Aparatur", 2, "BKPSDM"),
    ("Agus Salim, S.Sos.", "Pengelola Kepegawaian", 1, "Dinas Kesehatan"),
    ("Dewi Sartika, S.AP.", "Arsiparis Terampil", 2, "Dinas Perpustakaan dan Kearsipan"),
    ("Bambang Wijaya, S.H.", "Analis Kebijakan Ahli Muda", 1, "Bagian Hukum Setda"),
    ("Yuliana, A.Md.Kom.", "Arsiparis Mahir", 2, "Dinas Pendidikan dan Kebudayaan"),
    ("Hendrik Gunawan, S.T.", "Pranata Komputer Ahli Muda", 1, "Dinas Pekerjaan Umum"),
    ("Nur Aini, S.Pd.", "Pengelola Data", 2, "Dinas Sosial"),
    ("Syarif Hidayat, S.IP.", "Analis Kepegawaian Ahli Pertama", 1, "BKPSDM"),
    ("Rina Oktaviani, S.Kep.", "Perawat Ahli Pertama", 2, "Dinas Kesehatan"),
    ("Yohanes Paulus, S.E.", "Pengelola Keuangan", 1, "Badan Keuangan dan Aset Daerah"),
    ("Maria Goreti, S.Sos.", "Arsiparis Ahli Pertama", 2, "Sekretariat DPRD"),
    ("Abdul Rahman, S.AP.", "Pengadministrasi Umum", 1, "Kecamatan Sungai Raya"),
    (
        "Lestari Wulandari, A.Md.",
        "Arsiparis Terampil",
        2,
        "Dinas Kependudukan dan Pencatatan Sipil",
    ),
    ("Fransiskus Asisi, S.Kom.", "Pranata Komputer Terampil", 1, "Dinas Kominfo"),
    ("Herlina, S.E.", "Pengelola Arsip", 2, "Badan Perencanaan Pembangunan Daerah"),
    ("Muhammad Iqbal, S.T.", "Arsiparis Mahir", 1, "Dinas Perhubungan"),
)
"""Demo ASN (name, jabatan); NIPs are generated valid (reference/README.md rules)."""


def _demo_nip(index: int, sex: int) -> str:
    """A valid, unique demo NIP for demo person ``index``: birth date, TMT CPNS 24 years
    later, the sex digit, a sequence (the same person keeps the same NIP in every program)."""
    year = 1975 + (index * 3) % 20
    birth = date(year, 1 + index % 12, 1 + (index * 7) % 28)
    tmt = f"{year + 24}{1 + (index * 5) % 12:02d}"
    return f"{birth:%Y%m%d}{tmt}{sex}{index + 1:03d}"


def _seed_participants(program: Program, users: dict[str, User], at: datetime) -> None:
    """Enrol up to six ASN per partner Pemda (within its quota), nominated by its BKPSDM."""
    from collab.models import Participant

    approvers = {u.pemda_id: u for u in users.values() if u.role == Role.PEMDA_APPROVER}
    designer = db.session.get(User, program.owner_id)
    for quota in program.quotas:
        approver = approvers.get(quota.org_id)
        if approver is None:
            continue
        for _ in range(min(quota.quota, 6)):
            # each Pemda its own people, new ones in each later program
            earlier = db.session.scalar(
                sa.select(sa.func.count(Participant.id)).where(Participant.pemda_id == quota.org_id)
            )
            position = sorted(approvers).index(quota.org_id)
            # 6 apart for the first two Pemda (as always), 100 apart for the later ones
            index = earlier + (6 * position if position < 2 else 100 * position)
            name, jabatan, sex, unit = PARTICIPANT_NAMES[index % len(PARTICIPANT_NAMES)]
            db.session.add(
                Participant(
                    program_id=program.id,
                    pemda_id=quota.org_id,
                    nip=_demo_nip(index, sex),
                    name=name,
                    jabatan=jabatan,
                    unit=unit,
                    golongan="III/a" if index % 3 else "II/c",
                    status="enrolled",
                    nominated_by_id=approver.id,
                    nominated_at=at - timedelta(days=7),
                    enrolled_by_id=designer.id,
                    enrolled_at=at - timedelta(days=3),
                )
            )
    db.session.flush()


def _seed_attendance_and_scores(program: Program, users: dict[str, User], at: datetime) -> None:
    """Attendance at every session (one participant often absent) and pre/post scores (one
    below the pass mark), so the report and the JP ledger show passes and failures."""
    from collab.models import Attendance, Participant

    participants = db.session.scalars(
        sa.select(Participant)
        .where(Participant.program_id == program.id, Participant.status == "enrolled")
        .order_by(Participant.id)
    ).all()
    for n, person in enumerate(participants):
        for k, session in enumerate(program.sessions):
            status = "hadir"
            if n == 1 and k % 2 == 0:
                status = "izin"  # misses half the sessions: below the attendance minimum
            elif n == 4 and k == 0 and len(program.sessions) >= 5:
                status = "sakit"  # one day off sick: still above the minimum
            db.session.add(
                Attendance(
                    session_id=session.id,
                    participant_id=person.id,
                    status=status,
                    recorded_by_id=program.owner_id,
                    recorded_at=min(session.ends_at, at),
                )
            )
        person.pre_score = 45 + (n * 7) % 25
        person.post_score = 62 if n == 2 else 75 + (n * 5) % 20  # n == 2 misses the pass mark
    db.session.flush()


def _seed_evaluation(
    program: Program, users: dict[str, User], at: datetime, progress: Decimal = Decimal(2) / 3
) -> None:
    """Before a demo program is closed: every participant's L1 questionnaire (answered
    through their link) and, for each need it serves, the indicator as the Pemda measured it
    afterwards (L4) — ``progress`` of the way from baseline to target (two thirds unless the
    demo program says otherwise), so the report shows an indicator that moved."""
    from collab.models import IndicatorMeasurement, Participant, ReactionResponse

    people = db.session.scalars(
        sa.select(Participant)
        .where(Participant.program_id == program.id, Participant.status == "enrolled")
        .order_by(Participant.id)
    ).all()
    for n, person in enumerate(people):
        db.session.add(
            ReactionResponse(
                participant_id=person.id,
                material=4 + (n % 2),
                facilitator=5 if n % 3 else 4,
                organisation=3 + (n % 3),
                usefulness=5 if n != 1 else 3,
                comment="Praktik langsung di aplikasi sangat membantu." if n == 0 else None,
                source="link",
                submitted_at=at - timedelta(days=20 - n),
            )
        )
    approvers = {u.pemda_id: u for u in users.values() if u.role == Role.PEMDA_APPROVER}
    for need in program.needs:
        base, target = need.indicator_baseline, need.indicator_target
        if base is None or target is None or need.pemda_id not in approvers:
            continue
        db.session.add(
            IndicatorMeasurement(
                need_id=need.id,
                program_id=program.id,
                value=round(base + (target - base) * progress, 2),
                measured_on=(at - timedelta(days=7)).date(),
                note="Rekap bulanan BKPSDM setelah pelatihan.",
                recorded_by_id=approvers[need.pemda_id].id,
                recorded_at=at - timedelta(days=6),
            )
        )
    db.session.flush()


# ---------------------------------------------------------------------------------------------
# The region: five more Pemda of Kalimantan Barat (Kemendagri codes from
# collab/reference/regions_kalbar.csv), each with its BKPSDM approver and a Dinas Kesehatan
# officer, and their needs and programs over three fiscal years (the history base's year, the
# one before and the next), so that /reports, the dashboards and the JP ledger have something
# to count. Health needs are filed by the Dinkes officer and verified by BKPSDM; the others are
# filed by BKPSDM for the Pemda itself. Programs that served them were delivered and evaluated
# a year ago and this year; a few are still on their way.


@dataclass(frozen=True)
class RegionPemda:
    """A demo Pemda of the region: its name, region code, the short name used in titles,
    the e-mail slug and the names of its two demo accounts."""

    name: str
    code: str
    short: str
    slug: str
    approver: str
    officer: str

    @property
    def dinkes(self) -> str:
        return self.name.replace("Pemerintah", "Dinas Kesehatan")


REGION = (
    RegionPemda(
        "Pemerintah Kabupaten Sambas",
        "61.01",
        "Kabupaten Sambas",
        "sambas",
        "Drs. Sy. Irwan Maulana, M.Si.",
        "Nurul Hasanah, S.K.M.",
    ),
    RegionPemda(
        "Pemerintah Kabupaten Mempawah",
        "61.02",
        "Kabupaten Mempawah",
        "mempawah",
        "Hj. Rosmawati, S.Sos., M.M.",
        "Dedy Kurniawan, S.Kep., Ners",
    ),
    RegionPemda(
        "Pemerintah Kabupaten Sanggau",
        "61.03",
        "Kabupaten Sanggau",
        "sanggau",
        "Yosef Antonius, S.H., M.H.",
        "Elisabeth Yuni, S.Gz.",
    ),
    RegionPemda(
        "Pemerintah Kabupaten Ketapang",
        "61.04",
        "Kabupaten Ketapang",
        "ketapang",
        "Ir. Gusti Hendra Saputra, M.T.",
        "Ratna Sari Dewi, A.Md.Keb.",
    ),
    RegionPemda(
        "Pemerintah Kota Singkawang",
        "61.72",
        "Kota Singkawang",
        "singkawang",
        "Bong Cin Nen, S.E., M.Si.",
        "Mulyadi, S.Kep.",
    ),
)
"""Demo accounts: ``bkpsdm@<slug>.sinergi.test`` (pemda_approver of the Pemda) and
``dinkes@<slug>.sinergi.test`` (pemda_officer of its Dinas Kesehatan)."""

ORGANIZATIONS += tuple(
    org
    for p in REGION
    for org in (
        (p.name, OrgKind.PEMDA, None, p.code, _PTK),
        (p.dinkes, OrgKind.OPD, p.name, p.code, _PTK),
    )
)
USERS += tuple(
    user
    for p in REGION
    for user in (
        (f"bkpsdm@{p.slug}.sinergi.test", p.approver, Role.PEMDA_APPROVER, p.name),
        (f"dinkes@{p.slug}.sinergi.test", p.officer, Role.PEMDA_OFFICER, p.dinkes),
    )
)


@dataclass(frozen=True)
class Topic:
    """A kind of need several Pemda of the region file: ``{wilayah}`` in the texts becomes
    the Pemda's short name. ``health`` needs are filed by the Dinkes officer."""

    title: str
    urusan: str
    service: str
    problem: str
    indicator: str
    unit: str
    baseline: str
    target: str
    jabatan: str
    asn: int
    gap: str
    justification: str
    health: bool = False
    spm: int | None = None


TOPICS = {
    "anc": Topic(
        "Pelayanan Antenatal Terpadu bagi Bidan Puskesmas di {wilayah}",
        "1.02",
        "Pelayanan kesehatan ibu hamil",
        "Cakupan ibu hamil yang mendapat pelayanan antenatal sesuai standar di {wilayah} masih "
        "rendah; belum semua bidan melakukan skrining faktor risiko pada kunjungan pertama dan "
        "pencatatan di buku KIA sering tidak lengkap.",
        "Persentase ibu hamil yang mendapat pelayanan kesehatan sesuai standar",
        "%",
        "58",
        "100",
        "Bidan Puskesmas",
        24,
        "Pelayanan antenatal terpadu",
        "Angka kematian ibu di {wilayah} masih di atas rata-rata provinsi.",
        health=True,
        spm=1,
    ),
    "dm": Topic(
        "Deteksi Dini dan Tata Laksana Diabetes Melitus di Puskesmas {wilayah}",
        "1.02",
        "Pelayanan kesehatan penderita diabetes melitus",
        "Penderita diabetes melitus di {wilayah} banyak yang tidak terjaring skrining dan tidak "
        "dipantau kadar gula darahnya setiap bulan, karena petugas belum terlatih memakai "
        "protokol pemeriksaan dan rujukan.",
        "Persentase penderita diabetes melitus yang mendapat pelayanan sesuai standar",
        "%",
        "41",
        "100",
        "Dokter dan Perawat Puskesmas",
        30,
        "Skrining dan tata laksana penyakit tidak menular",
        "Capaian SPM diabetes melitus dinilai dalam evaluasi kinerja daerah.",
        health=True,
        spm=9,
    ),
    "gizi": Topic(
        "Surveilans Gizi dan Pemantauan Pertumbuhan Balita di {wilayah}",
        "1.02",
        "Pelayanan kesehatan balita",
        "Data penimbangan balita dari posyandu di {wilayah} terlambat masuk dan sering tidak "
        "akurat, sehingga balita berisiko stunting terlambat mendapat intervensi.",
        "Persentase balita yang ditimbang dan diukur setiap bulan",
        "%",
        "63",
        "90",
        "Nutrisionis dan Bidan Puskesmas",
        20,
        "Surveilans gizi dan pencatatan pertumbuhan balita",
        "Prevalensi stunting di {wilayah} masih di atas target nasional.",
        health=True,
        spm=4,
    ),
    "diferensiasi": Topic(
        "Pembelajaran Berdiferensiasi bagi Guru Sekolah Dasar di {wilayah}",
        "1.01",
        "Pembelajaran di sekolah dasar negeri",
        "Hasil Rapor Pendidikan {wilayah} menunjukkan literasi dan numerasi murid SD di bawah "
        "rata-rata nasional; guru belum mampu menyesuaikan pembelajaran dengan kebutuhan murid.",
        "Persentase SD negeri dengan capaian literasi minimum",
        "%",
        "45",
        "70",
        "Guru Kelas Sekolah Dasar",
        120,
        "Pembelajaran berdiferensiasi",
        "Perbaikan perlu berjalan sebelum asesmen nasional berikutnya.",
    ),
    "dtks": Topic(
        "Verifikasi dan Validasi Data Terpadu Kesejahteraan Sosial di {wilayah}",
        "1.06",
        "Penetapan penerima bantuan sosial",
        "Banyak data penerima bantuan sosial di {wilayah} tidak sesuai kondisi lapangan karena "
        "operator dan pendamping sosial belum menguasai tata cara verifikasi dan validasi.",
        "Persentase data kesejahteraan sosial yang telah diverifikasi dan divalidasi",
        "%",
        "52",
        "90",
        "Operator dan Pendamping Sosial",
        40,
        "Verifikasi dan validasi data kesejahteraan sosial",
        "Bantuan sosial yang salah sasaran menjadi temuan pemeriksaan.",
    ),
    "adminduk": Topic(
        "Pelayanan Administrasi Kependudukan Jemput Bola di {wilayah}",
        "2.12",
        "Pelayanan administrasi kependudukan di desa terpencil",
        "Warga di desa terpencil {wilayah} harus menempuh perjalanan jauh untuk mengurus "
        "dokumen kependudukan; petugas belum terlatih melayani dengan perangkat keliling.",
        "Persentase anak yang memiliki akta kelahiran",
        "%",
        "71",
        "95",
        "Petugas Pelayanan Administrasi Kependudukan",
        18,
        "Pelayanan administrasi kependudukan keliling",
        "Kepemilikan akta kelahiran menjadi syarat layanan pendidikan dan kesehatan.",
    ),
    "akrual": Topic(
        "Penyusunan Laporan Keuangan Berbasis Akrual di Perangkat Daerah {wilayah}",
        "5.02",
        "Penyusunan laporan keuangan perangkat daerah",
        "Laporan keuangan OPD di {wilayah} sering terlambat dan memuat koreksi karena pejabat "
        "penatausahaan belum memahami jurnal akrual di SIPD.",
        "Persentase OPD yang menyampaikan laporan keuangan tepat waktu",
        "%",
        "60",
        "100",
        "Pejabat Penatausahaan Keuangan SKPD",
        45,
        "Akuntansi pemerintahan berbasis akrual",
        "Opini BPK atas laporan keuangan daerah bergantung pada ketepatan laporan OPD.",
    ),
    "konstruksi": Topic(
        "Pengawasan Mutu Konstruksi Jalan Kabupaten di {wilayah}",
        "1.03",
        "Pembangunan dan pemeliharaan jalan kabupaten",
        "Ruas jalan yang baru dibangun di {wilayah} cepat rusak; pengawas lapangan belum "
        "menguji mutu material dan pemadatan sesuai spesifikasi.",
        "Persentase panjang jalan kabupaten dalam kondisi mantap",
        "%",
        "55",
        "75",
        "Pengawas Lapangan dan Teknik Jalan",
        25,
        "Pengendalian mutu pekerjaan jalan",
        "Anggaran pemeliharaan jalan terus naik karena kerusakan dini.",
    ),
    "damkar": Topic(
        "Penanganan Kebakaran dan Penyelamatan di {wilayah}",
        "1.05",
        "Pelayanan pemadaman kebakaran dan penyelamatan",
        "Waktu tanggap pemadam kebakaran di {wilayah} melebihi standar; petugas baru belum "
        "terlatih mengoperasikan peralatan dan melakukan penyelamatan.",
        "Waktu tanggap rata-rata penanganan kebakaran",
        "menit",
        "22",
        "15",
        "Petugas Pemadam Kebakaran",
        35,
        "Pemadaman kebakaran dan penyelamatan",
        "Kebakaran lahan dan permukiman meningkat pada musim kemarau.",
    ),
    "arsip": Topic(
        "Pengelolaan Arsip Dinamis Elektronik melalui SRIKANDI di {wilayah}",
        "2.24",
        "Tata naskah dinas perangkat daerah",
        "Sebagian besar OPD di {wilayah} masih membuat naskah dinas secara manual sehingga "
        "sulit ditelusuri.",
        "Persentase naskah dinas keluar yang dibuat melalui SRIKANDI",
        "%",
        "15",
        "75",
        "Arsiparis dan Pengelola Arsip OPD",
        50,
        "Pengelolaan arsip dinamis elektronik",
        "Seluruh OPD ditargetkan memakai naskah dinas elektronik.",
    ),
}

_UNSERVED_REASONS = {
    "decline": "Kebutuhan ini sudah tercakup dalam program kementerian teknis pada tahun yang "
    "sama; BKN merujuk Pemda kepada penyelenggara tersebut.",
    "withdraw": "Usulan kami tarik karena pelatihan serupa dibiayai APBD tahun ini.",
    "request_info": "Mohon dilengkapi data jumlah ASN sasaran per OPD dan hasil analisis "
    "kebutuhan pelatihan terakhir.",
}


def _region_need(pemda: RegionPemda, key: str, urgency: str, fy: int, story: str, at: int):
    """A demo need of ``pemda`` on topic ``key``, filed ``at`` working days back and taken as
    far as ``story`` says: draft, verifying, submitted, in_review (also the needs a program
    serves), info_requested, declined or withdrawn."""
    topic = TOPICS[key]
    approver, officer = f"bkpsdm@{pemda.slug}.sinergi.test", f"dinkes@{pemda.slug}.sinergi.test"
    filer = officer if topic.health else approver
    steps = [Step(_at(at, "09:00"), filer, "create")]
    if story != "draft":
        steps.append(Step(_at(at - 1, "10:00"), filer, "submit"))
    if topic.health and story not in ("draft", "verifying"):
        steps.append(Step(_at(at - 2, "13:30"), approver, "verify"))
    if story in ("in_review", "info_requested", "declined"):
        steps.append(Step(_at(at - 4, "10:15"), DESIGNER, "take"))
    if story == "info_requested":
        steps.append(Step(_at(at - 5, "14:00"), DESIGNER, "request_info", _UNSERVED_REASONS[
            "request_info"]))  # fmt: skip
    if story == "declined":
        steps.append(Step(_at(at - 6, "11:00"), DESIGNER, "decline", _UNSERVED_REASONS["decline"]))
    if story == "withdrawn":
        steps.append(Step(_at(at - 3, "15:00"), filer, "withdraw", _UNSERVED_REASONS["withdraw"]))

    def text(value: str) -> str:
        return value.format(wilayah=pemda.short)

    return DemoNeed(
        org=pemda.dinkes if topic.health else pemda.name,
        data={
            "title": text(topic.title),
            "urusan_code": topic.urusan,
            "spm_service_no": topic.spm,
            "affected_service": topic.service,
            "problem_statement": text(topic.problem),
            "indicator_name": topic.indicator,
            "indicator_unit": topic.unit,
            "indicator_baseline": Decimal(topic.baseline),
            "indicator_target": Decimal(topic.target),
            "target_jabatan": topic.jabatan,
            "asn_affected": topic.asn,
            "urgency": urgency,
            "urgency_justification": text(topic.justification),
            "fiscal_year": FiscalYear(fy),
            "gaps": [_teknis(topic.gap, 1 + (topic.asn % 2), 3)],
        },
        steps=tuple(steps),
    )


SAMBAS, MEMPAWAH, SANGGAU, KETAPANG, SINGKAWANG = REGION

# (Pemda, topic, urgency, fiscal year from the base's, story, filed working days back)
_REGION_NEEDS = (
    # served a year ago (fiscal year −1)
    (SAMBAS, "anc", "high", -1, "in_review", 320),
    (MEMPAWAH, "anc", "critical", -1, "in_review", 319),
    (SINGKAWANG, "anc", "high", -1, "in_review", 318),
    (SANGGAU, "dtks", "medium", -1, "in_review", 310),
    (KETAPANG, "dtks", "high", -1, "in_review", 309),
    (KETAPANG, "adminduk", "low", -1, "declined", 300),
    (MEMPAWAH, "arsip", "low", -1, "withdrawn", 280),
    # this fiscal year
    (SANGGAU, "anc", "high", 0, "in_review", 210),
    (KETAPANG, "anc", "critical", 0, "in_review", 209),
    (SAMBAS, "dm", "high", 0, "in_review", 180),
    (SANGGAU, "dm", "medium", 0, "in_review", 179),
    (KETAPANG, "dm", "high", 0, "in_review", 178),
    (MEMPAWAH, "diferensiasi", "medium", 0, "in_review", 160),
    (SINGKAWANG, "diferensiasi", "low", 0, "in_review", 159),
    (SANGGAU, "adminduk", "medium", 0, "in_review", 130),
    (MEMPAWAH, "adminduk", "high", 0, "in_review", 129),
    (KETAPANG, "konstruksi", "medium", 0, "in_review", 128),
    (SAMBAS, "konstruksi", "low", 0, "in_review", 118),
    (SINGKAWANG, "damkar", "critical", 0, "in_review", 100),
    (SAMBAS, "akrual", "high", 0, "in_review", 80),
    (KETAPANG, "akrual", "medium", 0, "in_review", 79),
    (SAMBAS, "diferensiasi", "medium", 0, "declined", 90),
    # next fiscal year: in the pipeline
    (SAMBAS, "gizi", "critical", 1, "in_review", 32),
    (SINGKAWANG, "gizi", "high", 1, "in_review", 31),
    (SANGGAU, "arsip", "medium", 1, "in_review", 40),
    (MEMPAWAH, "dm", "high", 1, "info_requested", 14),
    (KETAPANG, "diferensiasi", "low", 1, "info_requested", 12),
    (SANGGAU, "damkar", "medium", 1, "submitted", 6),
    (SINGKAWANG, "dm", "low", 1, "verifying", 4),
    (SAMBAS, "adminduk", "low", 1, "draft", 3),
)
NEEDS += tuple(_region_need(*row) for row in _REGION_NEEDS)


def _region_title(pemda: RegionPemda, key: str) -> str:
    return TOPICS[key].title.format(wilayah=pemda.short)


_PROGRAM_CONTENT = {
    # topic → (title, development type, method, modules (title, JP), objectives)
    "anc": (
        "Pelatihan Pelayanan Antenatal Terpadu bagi Bidan",
        3,
        "luring",
        (
            ("Standar pelayanan antenatal terpadu", 6),
            ("Skrining faktor risiko", 8),
            ("Praktik pencatatan buku KIA dan rujukan", 10),
        ),
        "Bidan mampu memberikan pelayanan antenatal terpadu sesuai standar, mengenali faktor "
        "risiko pada kunjungan pertama dan merujuk tepat waktu.",
    ),  # fmt: skip
    "dtks": (
        "Bimbingan Teknis Verifikasi dan Validasi DTKS",
        8,
        "luring",
        (
            ("Kebijakan data terpadu kesejahteraan sosial", 4),
            ("Verifikasi lapangan", 8),
            ("Pemutakhiran data di aplikasi", 8),
        ),
        "Operator dan pendamping sosial mampu memverifikasi dan memvalidasi data kesejahteraan "
        "sosial serta memutakhirkannya di aplikasi.",
    ),  # fmt: skip
    "dm": (
        "Pelatihan Deteksi Dini dan Tata Laksana Diabetes Melitus",
        3,
        "bauran",
        (
            ("Skrining dan diagnosis diabetes melitus", 6),
            ("Tata laksana dan edukasi pasien", 8),
            ("Pemantauan bulanan dan rujukan", 6),
        ),
        "Dokter dan perawat puskesmas mampu menjaring, menata laksana dan memantau penderita "
        "diabetes melitus sesuai standar.",
    ),  # fmt: skip
    "diferensiasi": (
        "Bimbingan Teknis Pembelajaran Berdiferensiasi",
        8,
        "bauran",
        (
            ("Asesmen diagnostik", 6),
            ("Merancang pembelajaran berdiferensiasi", 10),
            ("Praktik mengajar dan refleksi", 8),
        ),
        "Guru mampu memetakan kebutuhan belajar murid dan menyesuaikan pembelajaran.",
    ),  # fmt: skip
    "adminduk": (
        "Pelatihan Pelayanan Administrasi Kependudukan Jemput Bola",
        3,
        "luring",
        (
            ("Regulasi administrasi kependudukan", 4),
            ("Pengoperasian perangkat keliling", 8),
            ("Pelayanan prima di lapangan", 4),
        ),
        "Petugas mampu melayani dokumen kependudukan di desa dengan perangkat keliling.",
    ),  # fmt: skip
    "konstruksi": (
        "Pelatihan Pengawasan Mutu Konstruksi Jalan",
        3,
        "luring",
        (
            ("Spesifikasi teknis jalan", 6),
            ("Pengujian mutu material dan pemadatan", 10),
            ("Pelaporan pengawasan", 4),
        ),
        "Pengawas lapangan mampu menguji mutu material dan pekerjaan jalan sesuai spesifikasi.",
    ),  # fmt: skip
    "akrual": (
        "Bimbingan Teknis Laporan Keuangan Berbasis Akrual",
        8,
        "luring",
        (
            ("Standar akuntansi pemerintahan", 6),
            ("Jurnal akrual di SIPD", 10),
            ("Penyusunan laporan keuangan OPD", 8),
        ),
        "Pejabat penatausahaan keuangan mampu menyusun laporan keuangan OPD berbasis akrual.",
    ),  # fmt: skip
    "damkar": (
        "Pelatihan Penanganan Kebakaran dan Penyelamatan",
        3,
        "luring",
        (("Teknik pemadaman", 8), ("Penyelamatan korban", 8)),
        "Petugas pemadam kebakaran mampu memadamkan api dan menyelamatkan korban sesuai standar.",
    ),  # fmt: skip
    "gizi": (
        "Pelatihan Surveilans Gizi dan Pemantauan Pertumbuhan Balita",
        3,
        "bauran",
        (
            ("Antropometri balita", 6),
            ("Pencatatan elektronik pertumbuhan", 8),
            ("Intervensi gizi", 6),
        ),
        "Tenaga gizi dan bidan mampu mengukur, mencatat dan menindaklanjuti pertumbuhan balita.",
    ),  # fmt: skip
    "arsip": (
        "Bimbingan Teknis Pengelolaan Arsip melalui SRIKANDI",
        8,
        "luring",
        (("Tata naskah dinas elektronik", 6), ("Praktik SRIKANDI", 10)),
        "Pengelola arsip mampu membuat dan mendisposisikan naskah dinas melalui SRIKANDI.",
    ),  # fmt: skip
}

_REJECTION = (
    "Rancangan seminar satu hari tidak membangun keterampilan menguji mutu yang diminta; "
    "program perlu dirancang ulang sebagai pelatihan dengan praktik lapangan."
)
_CANCELLATION = (
    "Dibatalkan atas permintaan Pemda: pelatihan serupa diselenggarakan oleh Kementerian "
    "Dalam Negeri pada bulan yang sama."
)


def _region_program(
    key: str,
    partners: tuple[RegionPemda, ...],
    story: str,
    at: int,
    title_suffix: str = "",
    day: int | None = None,
    progress: str = "0.67",
) -> DemoProgram:
    """A demo program on ``key`` serving that topic's need of each of ``partners``, created
    ``at`` working days back and taken through ``story``: evaluated, delivered, scheduled,
    approved, cancelled or rejected. Sessions: three 8-JP days from ``day`` working days back
    (default 25 after creation; negative is after the base)."""
    title, dev_type, method, modules, objectives = _PROGRAM_CONTENT[key]
    day = at - 25 if day is None else day
    approvers = [f"bkpsdm@{p.slug}.sinergi.test" for p in partners]
    steps = [
        Step(_at(at, "09:00"), DESIGNER, "create"),
        Step(_at(at - 1, "14:00"), DESIGNER, "propose"),
    ]
    if story == "cancelled":
        steps.append(Step(_at(at - 3, "10:00"), BKN_OFFICIAL, "cancel", _CANCELLATION))
    elif story == "rejected":
        steps.append(Step(_at(at - 3, "10:00"), BKN_OFFICIAL, "reject", _REJECTION))
    else:
        steps.append(Step(_at(at - 3, "10:00"), BKN_OFFICIAL, "approve"))
        steps += [
            Step(_at(at - 4, f"{9 + i:02d}:30"), email, "approve")
            for i, email in enumerate(approvers)
        ]
    if story in ("scheduled", "delivered", "evaluated"):
        steps += [
            Step(_at(at - 8, "10:00"), DESIGNER, "add_sessions"),
            Step(_at(at - 8, "10:30"), DESIGNER, "schedule"),
        ]
    if story in ("delivered", "evaluated"):
        steps += [
            Step(_at(day, "07:45"), DESIGNER, "start"),
            Step(_at(day - 2, "16:00"), DESIGNER, "complete"),
        ]
    if story == "evaluated":
        steps.append(Step(_at(day - 40, "10:00"), DESIGNER, "close"))
    days = (Day(day), Day(day - 1), Day(day - 2))
    return DemoProgram(
        needs=tuple(_region_title(p, key) for p in partners),
        quotas={p.name: min(20, TOPICS[key].asn) for p in partners},
        data={
            "title": title + title_suffix,
            "objectives": objectives,
            "development_type_id": dev_type,
            "method": method,
            "planned_start": days[0],
            "planned_end": days[-1],
            "venue": "Aula BKN Kantor Regional V, Pontianak",
            "min_attendance_pct": 80,
            "pass_mark": 70,
            "competencies": [_competency(TOPICS[key].gap, 3)],
            "modules": _modules(*modules),
            "budget": _budget(
                ("apbn", 9_000_000 * len(partners), "Honorarium narasumber"),
                ("apbd", 6_000_000 * len(partners), "APBD Pemda mitra: konsumsi dan transport"),
            ),
        },
        sessions=_full_days(days, tuple(modules[i % len(modules)][0] for i in range(3))),
        steps=tuple(steps),
        l4_progress=Decimal(progress),
    )


PROGRAMS += (
    _region_program("anc", (SAMBAS, MEMPAWAH, SINGKAWANG), "evaluated", 300, " Angkatan I",
                    progress="0.8"),
    _region_program("dtks", (SANGGAU, KETAPANG), "evaluated", 290, progress="0.5"),
    _region_program("anc", (SANGGAU, KETAPANG), "evaluated", 190, " Angkatan II",
                    progress="1.05"),
    _region_program("dm", (SAMBAS, SANGGAU, KETAPANG), "evaluated", 160, progress="0.4"),
    _region_program("diferensiasi", (MEMPAWAH, SINGKAWANG), "evaluated", 140, progress="0.6"),
    _region_program("adminduk", (SANGGAU, MEMPAWAH), "evaluated", 110, progress="0.9"),
    _region_program("konstruksi", (KETAPANG,), "rejected", 112, " (Seminar)"),
    _region_program("konstruksi", (KETAPANG, SAMBAS), "evaluated", 95, progress="0.3"),
    _region_program("damkar", (SINGKAWANG,), "cancelled", 80),
    _region_program("akrual", (SAMBAS, KETAPANG), "delivered", 60),
    _region_program("arsip", (SANGGAU,), "scheduled", 20, day=-35),
    _region_program("gizi", (SAMBAS, SINGKAWANG), "approved", 12, day=-60),
)  # fmt: skip
