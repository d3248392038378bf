"""The API tests use the same prepared post as the page tests."""

from tests.web.conftest import prepared_database, site  # noqa: F401  (fixtures shared with tests/web)
