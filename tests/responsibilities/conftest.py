import pytest

from members.models import User
from tests.registrations.conftest import (  # noqa: F401 (fixtures shared with the registrations tests)
    inflow_data,
    make_inflow,
    make_outflow,
    outflow_data,
    sec_a,
    today,
)


@pytest.fixture
def orgdept(cast):
    return User.objects.get(username="orgdept")


@pytest.fixture
def branch_a1(cast):
    return User.objects.get(username="branch_a1")


@pytest.fixture
def sec_b(cast):
    return User.objects.get(username="sec_b")
