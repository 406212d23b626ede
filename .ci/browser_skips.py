"""Fail when a browser test (tests/browser) was skipped, or none ran, in a pytest run.

Usage: python .ci/browser_skips.py var/junit-sqlite.xml var/junit-postgresql.xml

Reads the JUnit reports that ``.ci/run`` asks each pytest run for. A test is a browser test
by its place (``-m browser`` selects tests/browser by its package name), whatever raised the
skip (a marker, a fixture, the test itself).
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

PREFIX = "tests.browser."


def main(paths: list[str]) -> int:
    failed = False
    for path in paths:
        ran = 0
        skipped = []
        for case in ET.parse(path).iter("testcase"):  # noqa: S314 (our own pytest's report)
            if not case.get("classname", "").startswith(PREFIX):
                continue
            if case.find("skipped") is not None:
                skipped.append(f"{case.get('classname')}::{case.get('name')}")
            else:
                ran += 1
        print(f"{path}: {ran} browser tests ran, {len(skipped)} skipped")
        for name in skipped:
            print(f"  skipped: {name}")
        if skipped or not ran:
            failed = True
    if failed:
        print("a browser test was skipped (or none ran): failing", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
