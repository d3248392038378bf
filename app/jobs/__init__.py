"""Job handlers; importing this package registers every kind with ``app.services.jobs``."""

import app.jobs.inspections  # noqa: F401  (kind "inspection_batch")
import app.jobs.planning  # noqa: F401  (kind "plan")
import app.services.caldav_sync  # noqa: F401  (kind "caldav_sync")
