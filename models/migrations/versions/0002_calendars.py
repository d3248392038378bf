"""calendars: feed subscriptions, published-event state, CalDAV push targets, neighbour closures

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('neighbour_closure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('side_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('holiday', 'closure', 'reduced_hours', name='closurekind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('start_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('end_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('all_day', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('uid', sa.String(length=255), nullable=False),
    sa.Column('occurrence', sa.String(length=40), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('imported_at', models.base.UTCDateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('start_at < end_at', name=op.f('ck_neighbour_closure_interval')),
    sa.ForeignKeyConstraint(['post_id'], ['border_post.id'], name=op.f('fk_neighbour_closure_post_id_border_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['side_id'], ['side.id'], name=op.f('fk_neighbour_closure_side_id_side'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_neighbour_closure')),
    sa.UniqueConstraint('side_id', 'source', 'uid', 'occurrence', 'start_at', name=op.f('uq_neighbour_closure_side_id_source_uid_occurrence_start_at'))
    )
    with op.batch_alter_table('neighbour_closure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_neighbour_closure_post_id'), ['post_id'], unique=False)
        batch_op.create_index('ix_neighbour_closure_side_start', ['side_id', 'start_at'], unique=False)

    op.create_table('push_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('side_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('username', sa.String(length=200), nullable=False),
    sa.Column('password_ref', sa.String(length=300), nullable=False),
    sa.Column('calendars', models.base.JSONDocument(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('last_push_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_push_ok', sa.Boolean(), nullable=True),
    sa.Column('last_push_message', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['border_post.id'], name=op.f('fk_push_target_post_id_border_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['side_id'], ['side.id'], name=op.f('fk_push_target_side_id_side'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_target')),
    sa.UniqueConstraint('post_id', 'name', name=op.f('uq_push_target_post_id_name'))
    )
    with op.batch_alter_table('push_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_target_post_id'), ['post_id'], unique=False)

    op.create_table('published_calendar',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('push_target_id', sa.Integer(), nullable=True),
    sa.Column('source_marker', sa.String(length=200), nullable=False),
    sa.Column('events_hash', sa.String(length=64), nullable=False),
    sa.Column('zones', models.base.JSONDocument(), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=True),
    sa.Column('last_year', sa.Integer(), nullable=True),
    sa.Column('last_modified', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_change_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['border_post.id'], name=op.f('fk_published_calendar_post_id_border_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['push_target_id'], ['push_target.id'], name=op.f('fk_published_calendar_push_target_id_push_target'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_calendar')),
    sa.UniqueConstraint('post_id', 'key', name=op.f('uq_published_calendar_post_id_key'))
    )
    with op.batch_alter_table('published_calendar', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_calendar_post_id'), ['post_id'], unique=False)

    op.create_table('published_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('calendar_id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=255), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('zone', sa.String(length=64), nullable=False),
    sa.Column('local_day', sa.Date(), nullable=False),
    sa.Column('start_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('end_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('first_published_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_modified', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expired_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('content', models.base.JSONDocument(), nullable=False),
    sa.Column('vevent', sa.Text(), nullable=False),
    sa.Column('delivered_sequence', sa.Integer(), nullable=True),
    sa.Column('remote_href', sa.String(length=1000), nullable=True),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_published_event_sequence')),
    sa.ForeignKeyConstraint(['calendar_id'], ['published_calendar.id'], name=op.f('fk_published_event_calendar_id_published_calendar'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_event')),
    sa.UniqueConstraint('calendar_id', 'uid', name=op.f('uq_published_event_calendar_id_uid'))
    )
    with op.batch_alter_table('published_event', schema=None) as batch_op:
        batch_op.create_index('ix_published_event_calendar_start', ['calendar_id', 'start_at'], unique=False)

    op.create_table('feed_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('token_hint', sa.String(length=8), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('calendars', models.base.JSONDocument(), nullable=False),
    sa.Column('staff_names', sa.Boolean(), nullable=False),
    sa.Column('side_id', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('resource_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_fetched_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_feed_subscription_agency_id_agency'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_feed_subscription_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_feed_subscription_office_id_office'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_feed_subscription_officer_id_officer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['border_post.id'], name=op.f('fk_feed_subscription_post_id_border_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], name=op.f('fk_feed_subscription_resource_id_resource'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['side_id'], ['side.id'], name=op.f('fk_feed_subscription_side_id_side'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_subscription')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feed_subscription_token_hash'))
    )
    with op.batch_alter_table('feed_subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_subscription_post_id'), ['post_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('feed_subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_subscription_post_id'))

    op.drop_table('feed_subscription')
    with op.batch_alter_table('published_event', schema=None) as batch_op:
        batch_op.drop_index('ix_published_event_calendar_start')

    op.drop_table('published_event')
    with op.batch_alter_table('published_calendar', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_calendar_post_id'))

    op.drop_table('published_calendar')
    with op.batch_alter_table('push_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_target_post_id'))

    op.drop_table('push_target')
    with op.batch_alter_table('neighbour_closure', schema=None) as batch_op:
        batch_op.drop_index('ix_neighbour_closure_side_start')
        batch_op.drop_index(batch_op.f('ix_neighbour_closure_post_id'))

    op.drop_table('neighbour_closure')
