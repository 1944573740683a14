"""participant jp_year and jp_year_total for the JP ledger

Adds ``participant.jp_year``: the calendar year a participation counts toward in the JP
ledger (the year in which its program's last session ended, read in the program's zone), set
on enrolled participants of delivered or evaluated programs, NULL otherwise; indexed for the
ledger by year (and per Pemda); and ``jp_year_total``, the number of ASN (distinct NIP) per
such year, the ledger's row count. The backfill applies the rule of
``collab.jp.queries.program_end_year`` (Indonesia's zones are fixed offsets: WIB +7,
WITA +8, WIT +9).

Revision ID: c7e1a9f0b4d2
Revises: needs_urgency_rank_a7e3
Create Date: 2026-11-30 09:03:19.535536

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c7e1a9f0b4d2"
down_revision = "needs_urgency_rank_a7e3"
branch_labels = None
depends_on = None

OFFSET_HOURS = (
    "CASE g.timezone WHEN 'Asia/Makassar' THEN 8 WHEN 'Asia/Jayapura' THEN 9 ELSE 7 END"
)


def _backfill():
    if op.get_bind().dialect.name == "sqlite":
        year = (
            "CAST(strftime('%Y', max(s.ends_at), "
            f"CAST({OFFSET_HOURS} AS TEXT) || ' hours') AS INTEGER)"
        )
    else:
        year = (
            "CAST(EXTRACT(YEAR FROM max(s.ends_at) + "
            f"make_interval(0, 0, 0, 0, {OFFSET_HOURS})) AS INTEGER)"
        )
    op.execute(
        sa.text(
            f"""
            UPDATE participant SET jp_year = e.year
            FROM (
                SELECT g.id AS program_id, {year} AS year
                FROM program g JOIN program_session s ON s.program_id = g.id
                WHERE g.status IN ('delivered', 'evaluated')
                GROUP BY g.id, g.timezone
            ) AS e
            WHERE participant.program_id = e.program_id AND participant.status = 'enrolled'
            """
        )
    )


def upgrade():
    op.create_table(
        "jp_year_total",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("asn", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_jp_year_total")),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("jp_year", sa.Integer(), nullable=True))

    _backfill()
    op.execute(
        "INSERT INTO jp_year_total (year, asn) SELECT jp_year, count(DISTINCT nip) "
        "FROM participant WHERE jp_year IS NOT NULL GROUP BY jp_year"
    )

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index("ix_participant_jp_year_nip", ["jp_year", "nip"], unique=False)
        batch_op.create_index(
            "ix_participant_pemda_jp_year_nip", ["pemda_id", "jp_year", "nip"], unique=False
        )


def downgrade():
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index("ix_participant_pemda_jp_year_nip")
        batch_op.drop_index("ix_participant_jp_year_nip")
        batch_op.drop_column("jp_year")

    op.drop_table("jp_year_total")
