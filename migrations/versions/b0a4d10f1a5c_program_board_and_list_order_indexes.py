"""program indexes for the status board's columns, the program list's order and the
programs serving a Pemda's needs (program_need by need, covering)

Revision ID: b0a4d10f1a5c
Revises: 206aa9fe393e
Create Date: 2026-11-30 09:15:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "b0a4d10f1a5c"
down_revision = "206aa9fe393e"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.create_index(
            "ix_program_status_changed", ["status", "status_changed_at", "id"], unique=False
        )
        batch_op.create_index("ix_program_changed", ["status_changed_at", "id"], unique=False)

    with op.batch_alter_table("program_need", schema=None) as batch_op:
        batch_op.create_index(
            "ix_program_need_need_program", ["need_id", "program_id"], unique=False
        )
        batch_op.drop_index("ix_program_need_need_id")


def downgrade():
    with op.batch_alter_table("program_need", schema=None) as batch_op:
        batch_op.create_index("ix_program_need_need_id", ["need_id"], unique=False)
        batch_op.drop_index("ix_program_need_need_program")

    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.drop_index("ix_program_changed")
        batch_op.drop_index("ix_program_status_changed")
