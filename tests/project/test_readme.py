"""The README is the user's page: short, true, and pointing at what exists.

Its examples run in ``test_docs_examples.py`` (with every page of docs/); here: its length,
the two commands, the install lines and extras, the links, and the facts it quotes.
"""

from __future__ import annotations

import re
import tomllib

from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def test_the_readme_reads_in_ten_minutes() -> None:
    """About 2,000 words at most (200 to 250 words a minute, code included)."""
    words = len(README.split())
    assert 1_000 <= words <= 2_200, words


def test_the_two_commands_are_named_and_are_make_targets() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test", "docs"):
        assert f"$ make {target}" in README, target
        assert re.search(rf"^{target}:", makefile, re.M), target


def test_install_from_the_index_and_from_a_checkout() -> None:
    assert "$ pip install 'pytest-assistants[openai]'" in README
    assert "$ pip install -e '.[openai]'" in README


def test_every_extra_the_pages_name_exists() -> None:
    extras = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
                 ["optional-dependencies"])  # fmt: skip
    named: set[str] = set()
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        named |= set(re.findall(r"pytest-assistants\[(\w+)\]", text))
        named |= set(re.findall(r"pip install -e '\.\[(\w+)\]'", text))
        named |= set(re.findall(r"`\[(\w+)\]`", text)) if page.name == "README.md" else set()
    assert named, "no extra named"
    assert named <= extras, sorted(named - extras)


def test_the_links_to_the_docs_lead_to_pages() -> None:
    links = re.findall(r"\]\(((?:docs/)[^)#]+)(?:#[^)]*)?\)", README)
    assert len(links) >= 8, links
    missing = [link for link in links if not (ROOT / link).is_file()]
    assert not missing, missing


def test_what_a_successful_case_expects_is_quoted_as_it_is() -> None:
    from pytest_assistants.payloads.factories import OK

    assert repr(OK) == "Expect(status=200, param=None, code=None)"
    assert f"`{OK!r}`" in README


def test_the_deprecation_texts_quoted_are_the_ones_ignored() -> None:
    from pytest_assistants.reach.deprecations import TEXTS

    flowing = " ".join(README.split())
    for text in TEXTS[:2]:
        assert f'"{text}"' in flowing, text
