"""The privacy tests borrow the training tests' event of BBGP DIY."""

from tests.training.conftest import bbgp, event  # noqa: F401
