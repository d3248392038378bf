"""People who use Juxta, what they may see, and their API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, created, intpk, str_enum
from models.enums import Role
from models.post import Agency, BorderPost, Side
from models.staff import Officer


class User(Base):
    """A user with one role and a scope: a post, optionally one side, agency or officer."""

    __tablename__ = "user_account"

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("border_post.id", ondelete="CASCADE"))
    side_id: Mapped[int | None] = mapped_column(ForeignKey("side.id", ondelete="CASCADE"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[created]

    post: Mapped[BorderPost | None] = relationship()
    side: Mapped[Side | None] = relationship()
    agency: Mapped[Agency | None] = relationship()
    officer: Mapped[Officer | None] = relationship()


class ApiToken(Base):
    """A revocable bearer token; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_token"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[created]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
