"""the service assistant: knowledge-base versions, conversations, messages, handovers

Revision ID: 0028_assistant
Revises: 0027_floorplan_audit_thumbnails
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.db.base import UTCDateTime

revision = "0028_assistant"
down_revision = "0027_floorplan_audit_thumbnails"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assistant_knowledge_versions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_knowledge_versions")),
        sa.UniqueConstraint("number", name=op.f("uq_assistant_knowledge_versions_number")),
    )
    op.create_table(
        "assistant_conversations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("last_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_assistant_conversations_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_conversations")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_assistant_conversations_user_id"), "assistant_conversations", ["user_id"]
    )
    op.create_table(
        "assistant_messages",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=12), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["assistant_conversations.id"],
                                name=op.f("fk_assistant_messages_conversation_id_assistant_conversations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_messages")),
    )  # fmt: skip
    op.create_index(
        "ix_assistant_messages_conversation", "assistant_messages", ["conversation_id", "seq"]
    )
    op.create_table(
        "assistant_handovers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("organisation_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("mobile_enc", sa.String(length=200), nullable=True),
        sa.Column("mobile_masked", sa.String(length=20), nullable=True),
        sa.Column("application_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("closed_by_id", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["conversation_id"], ["assistant_conversations.id"],
                                name=op.f("fk_assistant_handovers_conversation_id_assistant_conversations")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_assistant_handovers_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_assistant_handovers_application_id_applications")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_handovers")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_assistant_handovers_conversation_id"), "assistant_handovers", ["conversation_id"]
    )
    op.create_index(
        "ix_assistant_handovers_inbox", "assistant_handovers", ["organisation_id", "status"]
    )


def downgrade() -> None:
    op.drop_index("ix_assistant_handovers_inbox", table_name="assistant_handovers")
    op.drop_index(op.f("ix_assistant_handovers_conversation_id"), table_name="assistant_handovers")
    op.drop_table("assistant_handovers")
    op.drop_index("ix_assistant_messages_conversation", table_name="assistant_messages")
    op.drop_table("assistant_messages")
    op.drop_index(op.f("ix_assistant_conversations_user_id"), table_name="assistant_conversations")
    op.drop_table("assistant_conversations")
    op.drop_table("assistant_knowledge_versions")
