"""Every saved real page read exactly as its hand-checked truth says (see harness.py)."""

from __future__ import annotations

import pytest

from tests.real_pages.harness import entries, load, observe
from tests.real_pages.score import Score, compare


@pytest.mark.parametrize("name", entries())
def test_real_page(name: str) -> None:
    body, truth = load(name)
    problems = compare(name, truth, observe(body, truth), Score())
    assert not problems, "\n".join(problems)
