"""The reliability tests borrow the training tests' world (an event of BBGP DIY) and the
dashboards' (three kab/kota with records in every domain)."""

from tests.insights.conftest import world  # noqa: F401
from tests.training.conftest import bbgp, event, kota_heads  # noqa: F401
