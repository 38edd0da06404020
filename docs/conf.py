"""Sphinx configuration of the pytest-assistants documentation (``make docs``).

Markdown pages through MyST; the reference of public classes from the code's docstrings and
signatures (autodoc); fixtures, options, marker keys and the command line from the plugin
itself (``_ext/assistants_reference.py``). Built with ``-W -n``: a warning, a broken link or
an unresolved reference fails the build. Nothing is fetched: no intersphinx.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent))

project = "pytest-assistants"
author = "the pytest-assistants authors"
copyright = "the pytest-assistants authors"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "assistants_reference",
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "README.md"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3  # `[text](page.md#a-heading)` links resolve, and are checked

html_theme = "furo"
html_title = "pytest-assistants"
html_show_sourcelink = False
pygments_style = "friendly"

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True
autodoc_class_signature = "separated"
python_use_unqualified_type_names = True

nitpicky = True
# Names of other libraries and of the standard library: no intersphinx (offline build), so
# they are not linked; every name of this package must resolve.
nitpick_ignore_regex = [
    (r"py:.*", r"(openai|httpx|httpx2|portkey_ai|pytest|_pytest|vcr|faker|hypothesis)\b.*"),
    (r"py:.*", r"(collections|typing|pathlib|os|re|datetime|argparse|dataclasses)\b.*"),
    (r"py:.*", r"(str|int|float|bool|bytes|dict|list|tuple|set|frozenset|object|type)"),
    (r"py:.*", r"(None|Any|Callable|Mapping|Iterator|Sequence|Literal|TypeVar|Self|F)"),
    (r"py:.*", r"(Exception|AssertionError|ValueError|TypeError|KeyError|BaseException)"),
    (r"py:.*", r"(Httpx.*|Path|PathLike|Generator|Iterable|AbstractContextManager)"),
    (r"py:.*", r"(Async)?(OpenAI|AzureOpenAI|Portkey)|dict\[.*|list\[.*|Mapping\[.*"),
    # Internal names that public signatures mention: described in the text, not documented.
    (
        r"py:.*",
        r"(pytest_assistants\.[\w.]*\.)?(Handler|JsonDict|JsonBody|Result|Clock|AssistantsView|FaultPlan|Node|Store)",
    ),
]
