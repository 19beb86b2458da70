"""The summary line the judges print: how many pages the HTML validator, the crawler, the
accessibility checker and the browser judged.

A judging test records its counts with `record_property("judged:<what>", n)`; the properties
travel with the test's report (also from pytest-xdist workers), and are summed here. The hook is
imported by tests/conftest.py: only a conftest.py pytest reads before collecting is called in
xdist's controller, which collects nothing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

JUDGED = (
    ("judged:validated", "pages passed the Nu HTML Checker"),
    ("judged:validated-hostile", "pages of the hostile site passed the Nu HTML Checker"),
    ("judged:crawled", "pages crawled over HTTP (at / and under a sub-path)"),
    ("judged:accessible", "page views passed axe-core (light/dark × 한국어/English/both)"),
    ("judged:hostile", "hostile pages opened in Chromium with no script run"),
    ("judged:screenshots", "screenshots written to tests/artifacts/"),
)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    totals: Counter[str] = Counter()
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call" or not getattr(report, "passed", False):
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name.startswith("judged:"):
                    totals[name] += int(value)
    if not totals:
        return
    parts = [f"{totals[name]} {label}" for name, label in JUDGED if totals[name]]
    terminalreporter.write_sep("-", "judged by real clients")
    for part in parts:
        terminalreporter.write_line(part)
