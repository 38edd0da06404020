"""The ``assistants_payloads`` fixture as users meet it, through pytester."""

from __future__ import annotations

import json
import re

import pytest

from pytest_assistants.payloads.factories import PayloadFactory
from pytest_assistants.reach import config

pytest.importorskip("openai")

SHOW = """
    import json

    def test_show(assistants_payloads):
        print("SEED", assistants_payloads.seed)
        print("BODY", json.dumps(assistants_payloads.modify(), sort_keys=True))
"""


def shown(result: pytest.RunResult) -> tuple[int, dict[str, object]]:
    text = result.stdout.str()
    seed = int(re.search(r"SEED (\d+)$", text, re.M).group(1))  # type: ignore[union-attr]
    body = json.loads(re.search(r"BODY (\{.*\})$", text, re.M).group(1))  # type: ignore[union-attr]
    return seed, body


def test_fixture_is_seeded_from_the_session_seed_and_node_id(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_show=SHOW)
    first = pytester.runpytest("-s")
    first.assert_outcomes(passed=1)
    seed, body = shown(first)
    assert seed == config.test_seed(config.DEFAULT_SESSION_SEED, "test_show.py::test_show")
    assert shown(pytester.runpytest("-s")) == (seed, body)  # stable across runs
    assert body == PayloadFactory(seed=seed).modify()  # and the same as outside pytest
    other = pytester.runpytest("-s", "--assistants-seed", "12345")
    other_seed, other_body = shown(other)
    assert other_seed == config.test_seed(12345, "test_show.py::test_show")
    assert other_body != body


def test_marker_seed_and_profile_reach_the_factory(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.assistants(seed=77, profile="openai-v1@2023-11")
        def test_marked(assistants_payloads):
            assert assistants_payloads.seed == 77
            assert assistants_payloads.profile.name == "openai-v1@2023-11"
            assert assistants_payloads.modify()["extra_headers"] == {"OpenAI-Beta": "assistants=v1"}
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_seed_is_printed_in_the_header_and_on_failure(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_fails="""
        def test_fails(assistants_payloads):
            assert assistants_payloads.modify() == {}
        """
    )
    result = pytester.runpytest("--assistants-seed", "99")
    result.assert_outcomes(failed=1)
    seed = config.test_seed(99, "test_fails.py::test_fails")
    result.stdout.fnmatch_lines(
        ["assistants: *session seed=99*", f"*test seed={seed} session seed=99*"]
    )


def test_a_failure_reproduces_with_the_printed_seed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_repro="""
        import json, pytest

        def test_first(assistants_payloads):
            print("BODY", json.dumps(assistants_payloads.modify(), sort_keys=True))
            raise AssertionError("boom")
        """
    )
    result = pytester.runpytest("-rA")
    text = result.stdout.str()
    seed = int(re.search(r"test seed=(\d+)", text).group(1))  # type: ignore[union-attr]
    body = re.search(r"^BODY (.*)$", text, re.M).group(1)  # type: ignore[union-attr]
    pytester.makepyfile(
        test_again=f"""
        import json, pytest

        @pytest.mark.assistants(seed={seed})
        def test_again(assistants_payloads):
            assert json.dumps(assistants_payloads.modify(), sort_keys=True) == {body!r}
        """
    )
    pytester.runpytest("test_again.py").assert_outcomes(passed=1)


PARAMETRIZED = """
    import pytest
    from pytest_assistants import PayloadFactory
    CASES = PayloadFactory(seed=0).edge_cases()

    @pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
    def test_modify(assistants_fake, case):
        client = assistants_fake.openai(max_retries=0)
        assistant = client.beta.assistants.create(model="gpt-4o")
        try:
            client.beta.assistants.update(assistant.id, **case.body)
            outcome = (200, None, None)
        except Exception as error:
            outcome = (error.status_code, error.param, error.code)
        assert outcome == (case.expect.status, case.expect.param, case.expect.code)
"""


@pytest.mark.parametrize("workers", [None, "2"])
def test_parametrize_over_edge_cases(pytester: pytest.Pytester, workers: str | None) -> None:
    if workers:
        pytest.importorskip("xdist")
    pytester.makepyfile(test_edges=PARAMETRIZED)
    args = ["-W", "ignore::DeprecationWarning", "-q"]
    result = pytester.runpytest(*args, *(["-n", workers] if workers else []))
    expected = len(PayloadFactory(seed=0).edge_cases())
    result.assert_outcomes(passed=expected)
    if not workers:
        collected = pytester.runpytest("--collect-only", "-q").stdout.str()
        assert "test_edges.py::test_modify[name-at-limit-256-emoji]" in collected
