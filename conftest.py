"""At the root so that it applies to the notebooks nbval collects, not only to tests/."""

import os

import pytest

# The notebooks' stored outputs and the tests' expected sentences are English: a machine whose
# system language is Finnish (LANG=fi_FI.UTF-8) would otherwise get the checks' Finnish hints.
os.environ["MARTECH_LANGUAGE"] = "en"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """When nbval finds a notebook's stored outputs out of date, say how to refresh them."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and call.when == "call" and item.path.suffix == ".ipynb":
        report.sections.append((
            "How to fix",
            f"The outputs stored in {item.path.parent.name}/{item.path.name} differ from a fresh run.\n"
            f"If you changed the notebook or the code it calls on purpose, refresh them with\n"
            f"    make outputs MODULE={item.path.stem}\n"
            f"and commit the notebook. Never edit outputs by hand.",
        ))
