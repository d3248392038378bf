"""Sub-commands of ``juxta``; each module exposes click commands listed in ``COMMANDS``."""

from app.commands.database import db
from app.commands.scenario import generate, load, validate
from app.commands.server import serve, worker
from app.commands.users import users

COMMANDS = (db, validate, load, generate, users, serve, worker)
