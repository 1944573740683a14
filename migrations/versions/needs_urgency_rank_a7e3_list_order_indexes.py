"""needs: stored urgency rank and indexes for the list order, dashboard counts and search

Revision ID: needs_urgency_rank_a7e3
Revises: 9817715b2e59
Create Date: 2026-11-30 09:20:00

``need.urgency_rank`` (0 critical … 3 low) is derived from ``need.urgency`` and backfilled
here; the model keeps it in step afterwards. On PostgreSQL the free-text search on the title
and problem statement (``lower(col) LIKE '%q%'``) gets pg_trgm GIN indexes.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "needs_urgency_rank_a7e3"
down_revision = "9817715b2e59"
branch_labels = None
depends_on = None

RANK = (
    "CASE urgency WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 "
    "WHEN 'low' THEN 3 ELSE 4 END"
)
TRGM = (("ix_need_title_trgm", "title"), ("ix_need_problem_statement_trgm", "problem_statement"))


def upgrade():
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.add_column(sa.Column("urgency_rank", sa.Integer(), nullable=True))
    op.execute(f"UPDATE need SET urgency_rank = {RANK}")
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.alter_column("urgency_rank", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(
            "ix_need_urgency_order", ["urgency_rank", "status_changed_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_need_status_urgency_order",
            ["status", "urgency_rank", "status_changed_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_need_status_counts",
            ["status", "submitted_at", "sla_due_at", "assigned_designer_id"],
            unique=False,
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in TRGM:
            op.execute(f"CREATE INDEX {name} ON need USING gin (lower({column}) gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name, _column in TRGM:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.drop_index("ix_need_status_counts")
        batch_op.drop_index("ix_need_status_urgency_order")
        batch_op.drop_index("ix_need_urgency_order")
        batch_op.drop_column("urgency_rank")
