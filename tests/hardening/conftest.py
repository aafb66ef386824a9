from tests.registrations.conftest import (  # noqa: F401 (fixtures shared with the registrations tests)
    inflow_data,
    make_inflow,
    make_outflow,
    outflow_data,
    sec_a,
    today,
)
