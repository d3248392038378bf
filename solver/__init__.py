"""Pure planning engines: a typed problem in, a typed solution out.

Nothing here imports Flask, SQLAlchemy, ``app`` or ``models``; the service layer in
``app/services`` translates database rows into these problems and the solutions back.
"""
