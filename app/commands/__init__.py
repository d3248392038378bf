"""Sub-commands of ``juxta``; each module exposes click commands listed in ``COMMANDS``."""

from app.commands.bench import bench
from app.commands.database import db
from app.commands.exports import export, import_ics, import_table, sync
from app.commands.inspections import inspections
from app.commands.planning import plan
from app.commands.scenario import generate, load, validate
from app.commands.server import serve, worker
from app.commands.users import users

COMMANDS = (db, validate, load, generate, plan, users, serve, worker, export, sync, import_ics, import_table, inspections, bench)
