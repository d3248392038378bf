"""Job handlers; importing this package registers every kind with ``app.services.jobs``."""

import app.services.caldav_sync  # noqa: F401  (kind "caldav_sync")
