"""Demo data for ``flask seed-demo``: organisations, accounts and needs in every reachable state.

Everything is created through the service layer (:mod:`collab.admin.services`,
:mod:`collab.needs.services`), so the demo database holds a real audit trail. Needs are filed
and moved at back-dated times (working days and office hours, counted back from the day of
seeding), so their timelines read naturally and one critical need is already past its
first-response SLA. Each organisation, account and need is get-or-create (by name, e-mail and
title), so running the seed twice changes nothing and a partly seeded database is completed.
Every demo account's password is :data:`DEMO_PASSWORD`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from collab.admin.services import create_organization, create_user
from collab.core.workdays import is_working_day
from collab.extensions import db
from collab.models import AuditEvent, Need, Organization, OrgKind, Role, User, utcnow
from collab.needs.services import GapData, NeedData, create_need, transition_need, update_need

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
    ("BKPSDM Kota Pontianak", OrgKind.OPD, KOTA, "61.71", _PTK),
    (DINKES_KOTA, OrgKind.OPD, KOTA, "61.71", _PTK),
    (PKM_KAMPUNG_DALAM, OrgKind.OPD, DINKES_KOTA, "61.71", _PTK),
    (PKM_SIANTAN_HILIR, OrgKind.OPD, DINKES_KOTA, "61.71", _PTK),
    (DISDIKBUD, OrgKind.OPD, KOTA, "61.71", _PTK),
    (DISKOMINFO, OrgKind.OPD, KOTA, "61.71", _PTK),
    (BKAD, OrgKind.OPD, KOTA, "61.71", _PTK),
    (RSUD, OrgKind.OPD, KOTA, "61.71", _PTK),
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
    """One thing done to a demo need at ``when``: ``action`` is ``"create"``, ``"edit"``
    (apply ``changes`` to the need's data) or a workflow action, ``comment`` its text."""

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


def _moment(base: date, when: When) -> datetime:
    """The aware UTC time of ``when``, counted back from ``base`` (a local working day)."""
    day, left = base, when.working_days
    while left > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            left -= 1
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
)


# ---------------------------------------------------------------------------------------------


def seed_demo() -> bool:
    """Create the demo organisations, accounts and needs that do not exist yet, and commit.

    Runs inside an application context. Returns True when anything was created, False when
    all demo data was already present (then nothing is written).
    """
    orgs, created_orgs = _seed_organizations()
    users, created_users = _seed_users(orgs)
    created_needs = _seed_needs(orgs, users)
    created = created_orgs or created_users or created_needs
    if created:
        db.session.commit()
    return created


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


def _seed_needs(orgs: dict[str, Organization], users: dict[str, User]) -> bool:
    """Create each demo need that does not exist yet (by title) and replay its history."""
    db.session.flush()  # write the organisation and account audit rows with their own times
    created = False
    base = _history_base(utcnow())
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
    data = NeedData(org_id=orgs[spec.org].id, **spec.data)
    first, *rest = spec.steps  # the first step is always "create"
    created_at = _moment(base, first.when)
    need = create_need(users[first.actor], data)
    _stamp_audit(created_at)
    at = created_at
    for step in rest:
        at = _moment(base, step.when)
        actor = users[step.actor]
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
        _stamp_audit(at)
    _backdate(need, created_at, at)
    return need


def _stamp_audit(when: datetime) -> None:
    """Give the audit rows just queued by a service call the step's time instead of now."""
    for obj in db.session.new:
        if isinstance(obj, AuditEvent) and obj.entity_type == "need" and obj.created_at is None:
            obj.created_at = when
    db.session.flush()


def _backdate(need: Need, created_at: datetime, last_at: datetime) -> None:
    """Set the need's creation and last-change times to its history's, without bumping the
    optimistic-lock version (a plain table UPDATE)."""
    values = {"created_at": created_at, "updated_at": last_at, "status_changed_at": last_at}
    table = Need.__table__
    db.session.execute(sa.update(table).where(table.c.id == need.id).values(**values))
    for key, value in values.items():
        set_committed_value(need, key, value)
