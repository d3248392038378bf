"""Job handlers; importing this package registers every kind with ``app.services.jobs``."""
