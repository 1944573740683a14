"""attendance version (optimistic lock per cell)

Each attendance cell carries the version the grid was loaded at; rows recorded before this
revision start at 1 (the server default is only there to fill them, the model sets it).

Revision ID: 206aa9fe393e
Revises: c7e1a9f0b4d2
Create Date: 2026-11-30 08:49:18.599089

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "206aa9fe393e"
down_revision = "c7e1a9f0b4d2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.alter_column("version", server_default=None)


def downgrade():
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_column("version")
