"""``--assistants-coverage-html DIR``: the behaviour coverage report as one HTML page.

A reader looks for the red rows: each behaviour worth exercising for a profile and dialect
(``behaviours.expected``), whether the suite exercised it and how often, and which tests
did, so a gap leads to the test to copy and a count to the tests to read. One
self-contained file (``DIR/index.html``, inline style, no script), fit for a CI artifact.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_assistants.behaviours import expected

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem;
       padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #ddd;
         vertical-align: top; }
code { font: 13px ui-monospace, monospace; }
tr.never td.state { background: #fde2e1; color: #8a1c14; }
tr.exercised td.state { background: #e1f5e4; color: #135c22; }
ul.tests { margin: 0; padding-left: 1.1rem; }
.gaps li { color: #8a1c14; }
"""


def rows(group: Mapping[str, Any]) -> list[tuple[str, int, list[str]]]:
    """(behaviour, times exercised, tests) for the expected ones, in their order, then
    the others the suite exercised."""
    exercised: Mapping[str, int] = group["exercised"]
    tests: Mapping[str, list[str]] = group.get("tests", {})
    names = list(dict.fromkeys([*expected(group["profile"], group["dialect"]), *exercised]))
    return [(name, exercised.get(name, 0), list(tests.get(name, []))) for name in names]


def _row(behaviour: str, count: int, tests: list[str]) -> str:
    state = f"exercised {count}&times;" if count else "never"
    listed = "".join(f"<li><code>{html.escape(test)}</code></li>" for test in tests)
    kind = "exercised" if count else "never"
    return (
        f'<tr class="{kind}" data-behaviour="{html.escape(behaviour)}">'
        f"<td><code>{html.escape(behaviour)}</code></td>"
        f'<td class="state">{state}</td>'
        f'<td><ul class="tests">{listed}</ul></td></tr>'
    )


def render_html(groups: Iterable[Mapping[str, Any]]) -> str:
    """The page: one section per profile and dialect."""
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Assistants behaviour coverage</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Assistants behaviour coverage</h1>",
    ]
    groups = list(groups)
    if not groups:
        parts.append("<p>No request reached a fake (assistants_fake, assistants_server).</p>")
    for group in groups:
        listed = rows(group)
        done = sum(1 for _, count, _ in listed if count)
        title = f"{group['profile']}, dialect {group['dialect']}"
        parts += [
            f'<section data-group="{html.escape(title)}">',
            f"<h2>{html.escape(title)}</h2>",
            f"<p>{group['requests']} requests; {done} of {len(listed)} behaviours exercised.</p>",
        ]
        if group["notable"]:
            gaps = "".join(f"<li>{html.escape(text)}</li>" for text in group["notable"])
            parts.append(f'<ul class="gaps">{gaps}</ul>')
        parts += [
            "<table><thead><tr><th>behaviour</th><th>exercised</th><th>by the tests</th>"
            "</tr></thead><tbody>",
            *(_row(*row) for row in listed),
            "</tbody></table></section>",
        ]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_html(folder: str | Path, groups: Iterable[Mapping[str, Any]]) -> Path:
    """Write ``folder/index.html`` (the folder is made if missing); return its path."""
    path = Path(folder) / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(groups), encoding="utf-8")
    return path
