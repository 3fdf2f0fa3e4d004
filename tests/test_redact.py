"""Secrets out of the logs: the redaction is installed once, whatever asks for it."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.redact import RedactingFactory, hide_in_logs, redact


@pytest.fixture
def factory() -> Iterator[None]:
    """The record factory logging had, put back after the test."""
    before = logging.getLogRecordFactory()
    logging.setLogRecordFactory(logging.LogRecord)
    yield
    logging.setLogRecordFactory(before)


def test_two_secrets_share_one_installed_redaction(
    factory: None, caplog: pytest.LogCaptureFixture
) -> None:
    hide_in_logs("111:first-secret")
    hide_in_logs("222:second-secret")

    installed = logging.getLogRecordFactory()
    assert isinstance(installed, RedactingFactory)
    assert not isinstance(installed.wrapped, RedactingFactory)  # not wrapped twice
    with caplog.at_level(logging.INFO):
        logging.getLogger("saidwho.test").info(
            "GET /bot%s and /bot%s", "111:first-secret", "222:second-secret"
        )
    assert "first-secret" not in caplog.text and "second-secret" not in caplog.text
    assert caplog.text.count("[token]") == 2


def test_a_traceback_is_redacted_too(factory: None, caplog: pytest.LogCaptureFixture) -> None:
    hide_in_logs("333:third-secret")
    try:
        raise RuntimeError("failed at /bot333:third-secret/getMe")
    except RuntimeError:
        logging.getLogger("saidwho.test").exception("request failed")
    assert "third-secret" not in caplog.text
    assert redact("url /bot333:third-secret/x") == "url /bot[token]/x"


def test_nothing_is_redacted_before_a_secret_is_hidden(factory: None) -> None:
    assert redact("/bot444:fourth/x") == "/bot444:fourth/x"
