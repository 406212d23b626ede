from __future__ import annotations

import pytest
from hypothesis import settings

from concord.reference.loader import load_reference

# Property tests assert behaviour, never speed: on a shared two-core machine one example can
# take longer than Hypothesis's default 200 ms deadline and fail as "flaky".
settings.register_profile("concord", deadline=None, print_blob=True)
settings.load_profile("concord")


@pytest.fixture(autouse=True)
def _language_of_the_next_test():  # type: ignore[no-untyped-def]
    """A request activates its language for the thread and nothing deactivates it (Django's
    LocaleMiddleware does not, nor the API's): without this a test that asked for a Chinese
    page left the next test's messages in Chinese, whatever order the tests run in."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load the SCO reference data once into the test database; each test's transaction
    is rolled back afterwards, so every test starts from it."""
    with django_db_blocker.unblock():
        load_reference("sco")


@pytest.fixture
def sco(db):  # type: ignore[no-untyped-def]
    """The SCO organization. A transactional test (browser tests) flushes every table when
    it ends; the next test that asks for the SCO then loads it again."""
    from concord.organization.models import Organization

    org = Organization.objects.filter(slug="sco").first()
    if org is None:
        load_reference("sco")
        org = Organization.objects.get(slug="sco")
    return org


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    """The tamper suite's figure (cases detected of cases tried) and the authorization
    matrix's (requests checked against their expected status), for docs/security.md."""
    tried = detected = 0
    authz_rows = authz_cases = authz_failed = 0
    stats: dict[str, int] = {}
    for outcome in ("passed", "failed", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "") == "call" and "authz" in report.keywords:
                authz_rows += 1
                authz_failed += outcome != "passed"
                authz_cases += sum(v for k, v in report.user_properties if k == "authz_cases")
            for key, value in getattr(report, "user_properties", []):
                if key == "property_stats" and value.get("examples"):
                    stats = value
            if getattr(report, "when", "") != "call" or "tamper" not in report.keywords:
                continue
            tried += 1
            detected += outcome == "passed"
    if tried:
        terminalreporter.write_line(f"tamper suite: {detected} of {tried} cases detected")
    if authz_rows:
        terminalreporter.write_line(
            f"authorization matrix: {authz_cases} cases in {authz_rows} rows checked, "
            f"{authz_failed} rows failed"
        )
    if stats:
        terminalreporter.write_line(
            f"API call-sequence property: {stats['examples']} examples, {stats['calls']} calls, "
            f"{stats['adopted']} adoptions checked by the oracle, {stats['refused']} refused"
        )
