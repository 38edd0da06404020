"""The documentation site: built strictly, seen in a real browser, and true to the code.

The site is the one ``make docs`` built (``ASSISTANTS_DOCS_SITE``, as ``make test`` passes
it), else built here with the Makefile's own flags. Headless Chromium takes screenshots of
the home page and a reference page, served on 127.0.0.1; where Chromium is absent the
screenshot tests skip, except under CI, where ``.ci/run`` installs it and they must run.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import struct
import subprocess
import sys
import threading
import zlib
from typing import TYPE_CHECKING

import pytest

from tests.helpers import ROOT, under_ci

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

DOCS = ROOT / "docs"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def sphinx_flags() -> list[str]:
    """``make docs``'s flags, read from the Makefile: the tests build as CI does."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"^SPHINX_FLAGS := (.*)$", makefile, re.M)
    assert found is not None, "the Makefile has no SPHINX_FLAGS"
    return found.group(1).split()


def build(source: Path, out: Path) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("sphinx")
    pytest.importorskip("myst_parser")
    command = [sys.executable, "-m", "sphinx", *sphinx_flags(), "-b", "html", str(source)]
    return subprocess.run(
        [*command, str(out)], capture_output=True, text=True, timeout=600, cwd=ROOT
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = os.environ.get("ASSISTANTS_DOCS_SITE")
    if built:
        path = (ROOT / built).resolve()
        assert (path / "index.html").is_file(), f"ASSISTANTS_DOCS_SITE={built} holds no site"
        return path
    out = tmp_path_factory.mktemp("site")
    done = build(DOCS, out)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The site over HTTP on 127.0.0.1, on a free port, for the browser."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if under_ci():
        pytest.fail("Chromium is not installed (CI is set: .ci/run installs it; it must run)")
    pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver)")


def browse(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"  # a fresh user data dir per run
    command = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of a PNG (no imaging library)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        if kind == b"IDAT":
            chunks.append(data[at + 8 : at + 8 + length])
        at += 12 + length
    return width, height, zlib.decompress(b"".join(chunks))


@pytest.mark.parametrize(
    ("page", "shows"),
    [
        ("index.html", ["pytest-assistants", "Where to start", "test_rename"]),
        ("reference/fixtures.html", ["assistants_fake", "assistants_cassette", "FakeAssistants"]),
    ],
)
def test_a_page_seen_in_headless_chromium(
    served: str, tmp_path: Path, page: str, shows: list[str]
) -> None:
    url = f"{served}/{page}"
    shot = tmp_path / "page.png"
    done = browse(url, tmp_path, "--window-size=1280,900", f"--screenshot={shot}")
    assert shot.is_file(), done.stderr[-3000:]
    width, height, pixels = png_pixels(shot)
    assert (width, height) == (1280, 900)
    # A rendered page, not a blank or an error page: many shades, and ink on the white.
    assert len(set(pixels)) > 50
    assert sum(1 for byte in pixels[::7] if byte < 160) > len(pixels[::7]) // 200
    dom = browse(url, tmp_path, "--dump-dom").stdout
    for text in shows:
        assert text in dom, text
    assert 'href="../_static/' in dom or 'href="_static/' in dom  # the theme's style loaded


def test_the_fixture_reference_links_each_value_type_to_its_class(site: Path) -> None:
    page = (site / "reference" / "fixtures.html").read_text(encoding="utf-8")
    for name in ("assistants_fake", "assistants_payloads", "assistants_cassette"):
        assert name in page, name
    assert 'href="api.html#pytest_assistants.FakeAssistants"' in page
    api = (site / "reference" / "api.html").read_text(encoding="utf-8")
    for name in ("FakeAssistants.fail", "FakeAssistants.route", "RouteRequest", "Call"):
        assert f'id="pytest_assistants.{name}"' in api, name
    for private in ("router", "backend", "injected", "reset_and_start"):
        assert f'id="pytest_assistants.FakeAssistants.{private}"' not in api, private


def test_every_option_of_the_plugin_is_in_the_reference(site: Path) -> None:
    page = (site / "reference" / "configuration.html").read_text(encoding="utf-8")
    for option in ("--assistants-coverage-html", "--assistants-record-mode", "assistants_hosts",
                   "assistants_filter_deprecation", "clock_start", "null_resets_defaults"):  # fmt: skip
        assert option in page, option
    cli = (site / "reference" / "cli.html").read_text(encoding="utf-8")
    for command in ("serve", "cassettes lint", "cassettes import", "conformance", "diff"):
        assert f"pytest-assistants {command}" in cli, command


def test_a_broken_link_or_reference_fails_the_build(tmp_path: Path) -> None:
    """The strict build, on a copy of the configuration: a good page builds, and the same page
    with a link to a missing page, or a reference to a missing class, does not."""
    source = tmp_path / "docs"
    shutil.copytree(DOCS / "_ext", source / "_ext")
    shutil.copy(DOCS / "conf.py", source / "conf.py")
    good = "# Home\n\nSee {py:class}`pytest_assistants.RouteRequest`.\n\n```{eval-rst}\n"
    good += ".. autoclass:: pytest_assistants.RouteRequest\n```\n"
    (source / "index.md").write_text(good)
    assert build(source, tmp_path / "good").returncode == 0
    for broken, says in [
        ("[away](missing.md)", "missing.md"),
        ("{py:class}`pytest_assistants.Nothing`", "pytest_assistants.Nothing"),
        ("[away](index.md#no-such-heading)", "no-such-heading"),
    ]:
        (source / "index.md").write_text(good + "\n" + broken + "\n")
        done = build(source, tmp_path / "broken")
        assert done.returncode != 0, broken
        assert says in done.stderr, done.stderr[-2000:]
