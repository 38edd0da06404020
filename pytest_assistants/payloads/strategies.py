"""Hypothesis strategies over the payload factories (``pip install hypothesis``).

``payloads(profile, valid=True)`` draws :class:`~pytest_assistants.payloads.factories.Case` values:
a valid modify body (expect 200) built by the factory from a drawn seed, with the drawn
fields kept so Hypothesis can shrink a failure to fewer fields; or, with ``valid=False``,
one rejected case of the catalogue laid over a valid body, whose expected error still
holds (one finding per request, and the valid part has none). Hypothesis is imported when
a strategy is built, never at import time of this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_assistants.payloads.factories import (
    OK,
    Case,
    PayloadFactory,
    client_kwargs,
    derive_seed,
    has_cases,
    new_faker,
    rules_for,
    valid_json,
)
from pytest_assistants.service.profiles import DEFAULT_PROFILE, Profile, get_profile

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy


def _hypothesis() -> Any:
    try:
        from hypothesis import strategies
    except ImportError:
        raise ImportError(
            "payloads() needs Hypothesis: pip install 'pytest-assistants[hypothesis]'"
        ) from None
    return strategies


def payloads(profile: str | Profile = DEFAULT_PROFILE, valid: bool = True) -> SearchStrategy[Case]:
    """Cases for ``profile``: valid bodies, or (``valid=False``) rejected ones."""
    st = _hypothesis()
    prof = get_profile(profile) if isinstance(profile, str) else profile
    rules = rules_for(prof)
    if not has_cases(prof):
        raise ValueError(f"profile {prof.name!r} serves no request (sunset): no payloads")

    def body_of(seed: int) -> dict[str, Any]:
        _, provider = new_faker(derive_seed("hypothesis", seed))
        return valid_json(provider, rules, create=False)

    @st.composite  # type: ignore[untyped-decorator]
    def valid_case(draw: Any) -> Case:
        body = body_of(draw(st.integers(min_value=0, max_value=2**32 - 1)))
        keep = draw(st.sets(st.sampled_from(sorted(body)))) if body else set()
        kept = {key: value for key, value in body.items() if key in keep}
        return Case("valid", client_kwargs(kept, prof), OK, kept, prof.name)

    if valid:
        return valid_case()  # type: ignore[no-any-return]

    rejected = PayloadFactory(seed=0, profile=prof).invalid()

    @st.composite  # type: ignore[untyped-decorator]
    def invalid_case(draw: Any) -> Case:
        case = draw(st.sampled_from(rejected))
        base = draw(valid_case()).json
        # The case's fields first, in its own order: its error stays the first finding.
        body = {**case.json, **{k: v for k, v in base.items() if k not in case.json}}
        if "model" in case.json:  # model checks run after the schema: keep those alone
            body = dict(case.json)
        return Case(case.id, client_kwargs(body, prof), case.expect, body, prof.name)

    return invalid_case()  # type: ignore[no-any-return]
