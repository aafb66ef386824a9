# The registrations' fixtures (make_outflow, make_inflow...) serve the export and import tests too.
import pytest

from tests.registrations.conftest import (  # noqa: F401
    inflow_data,
    make_inflow,
    make_outflow,
    outflow_data,
    sec_a,
    today,
)


@pytest.fixture(autouse=True)
def fresh_private_storage(settings):
    """An empty in-memory private storage for each test (setting STORAGES resets Django's storage handler)."""
    settings.STORAGES = {**settings.STORAGES}
