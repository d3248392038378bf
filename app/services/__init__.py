"""The service layer: functions that take a SQLAlchemy ``Session`` and never commit.

Views, CLI commands and jobs own the transaction: they call services, then commit or
roll back. Services translate rows into ``solver`` problems and solutions back into rows.
"""
