"""The run's operations: create (and create-thread-and-run), retrieve, list, modify, cancel,
submit_tool_outputs; and the run steps' list and retrieve (§14).

Checks in §11.1's order: path lookups (404), the body's schema (one error), then the
state (§14.4 texts). A read of a run advances it one status (``lifecycle.py``); ``stream``
answers the same steps at once as server-sent events (§14.3).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from pytest_assistants.service import errors
from pytest_assistants.service.http import EventStream
from pytest_assistants.service.resources.assistants import handlers as assistants
from pytest_assistants.service.resources.assistants.semantics import as_float, normalise_tool
from pytest_assistants.service.resources.common import list_page, metadata_of
from pytest_assistants.service.resources.messages import handlers as messages
from pytest_assistants.service.resources.runs import records
from pytest_assistants.service.resources.runs.lifecycle import Stepper
from pytest_assistants.service.resources.runs.records import (
    CANCELLABLE,
    RUN,
    STEP,
    TERMINAL,
    new_run,
    render_run,
    render_step,
    tokens,
    usage,
)
from pytest_assistants.service.resources.runs.schema import (
    create_and_run_schema,
    create_schema,
    modify_schema,
    outputs_schema,
)
from pytest_assistants.service.resources.threads import handlers as threads
from pytest_assistants.service.store import require
from pytest_assistants.service.validation import validate
from pytest_assistants.service.wire import read_json

if TYPE_CHECKING:
    from collections.abc import Callable

    from pytest_assistants.service.resources.common import Context
    from pytest_assistants.service.store import Record, Transaction

# Run options copied from the request as given, over the assistant's or the defaults.
AS_GIVEN = (
    "model", "metadata", "max_completion_tokens", "max_prompt_tokens", "truncation_strategy",
    "tool_choice", "parallel_tool_calls", "response_format", "reasoning_effort",
)  # fmt: skip


def _body(ctx: Context) -> dict[str, Any]:
    request = ctx.request
    return read_json(request.body, request.headers, ctx.choices.max_body_bytes)


def stored(ctx: Context) -> Record:
    """The run the path names (in the thread it names), or the 404s."""
    threads.stored(ctx)
    run_id = ctx.params["run_id"]
    not_found = partial(errors.object_not_found, "run", run_id)
    return require(ctx.store, RUN, run_id, not_found, thread_id=ctx.params["thread_id"])


# -- creating -------------------------------------------------------------------------------


def start(ctx: Context, tx: Transaction, thread: Record, body: dict[str, Any]) -> Record:
    """A queued run of the assistant the body names, with its snapshot (§14.2)."""
    assistant = ctx.store.get(assistants.KIND, body["assistant_id"])
    if assistant is None:
        raise errors.assistant_not_found(body["assistant_id"])
    for message in body.get("additional_messages") or []:
        messages.add_message(ctx, tx, thread["id"], message)
    run = new_run(tx.new_id(records.RUN_PREFIX), thread["id"], assistant, ctx.store.clock.now())
    run.update({key: body[key] for key in AS_GIVEN if body.get(key) is not None})
    run["metadata"] = metadata_of(body.get("metadata"))
    if body.get("instructions") is not None:  # replaces; null falls back (§14.2)
        run["instructions"] = body["instructions"]
    if body.get("additional_instructions"):  # appends (API reference; the joint: CHOICE)
        run["instructions"] = "\n\n".join(
            part for part in (run["instructions"], body["additional_instructions"]) if part
        )
    if body.get("tools") is not None:
        run["tools"] = [normalise_tool(tool, ctx.rules.assistants) for tool in body["tools"]]
    for key in ("temperature", "top_p"):
        if body.get(key) is not None:
            run[key] = as_float(body[key])
    if ctx.rules.runs.invalid_thread and not run["instructions"]:
        users = [
            m
            for m in tx.records(messages.KIND)
            if m["thread_id"] == thread["id"] and m["role"] == "user"
        ]
        if not users:
            raise errors.invalid_thread()
    tx.put(RUN, run)
    return run


def create(ctx: Context) -> Any:
    body = _body(ctx)
    with ctx.store.transaction() as tx:
        thread = threads.stored(ctx)
        validate(create_schema(ctx.rules), body)
        run = start(ctx, tx, thread, body)
        events = _stream(ctx, tx, run, body, [])
    return render_run(run, ctx.rules.runs) if events is None else EventStream(events)


def create_and_run(ctx: Context) -> Any:
    """``POST /threads/runs``: a new thread (``thread``), then a run on it; a stream begins
    with ``thread.created`` (§14.3)."""
    body = _body(ctx)
    with ctx.store.transaction() as tx:
        validate(create_and_run_schema(ctx.rules), body)
        thread = threads.make(ctx, tx, body.get("thread") or {})
        if body.get("tool_resources"):
            thread = {
                **thread,
                "tool_resources": threads.made_resources(tx, body["tool_resources"]),
            }
            tx.put(threads.KIND, thread)
        run = start(ctx, tx, thread, body)
        created = [("thread.created", threads.render_read(thread, ctx.rules.threads))]
        events = _stream(ctx, tx, run, body, created)
    return render_run(run, ctx.rules.runs) if events is None else EventStream(events)


def _stream(
    ctx: Context, tx: Transaction, run: Record, body: dict[str, Any], first: list[tuple[str, Any]]
) -> list[tuple[str, Any]] | None:
    """With ``stream: true``, the events of the run taken to its end (or to
    ``requires_action``) at once, ending ``done``."""
    if not body.get("stream"):
        return None
    stepper = Stepper(ctx, tx, first)
    stepper.emit_run(run, "created")
    stepper.emit_run(run, "queued")
    stepper.until_it_waits(run)
    return [*first, ("done", "[DONE]")]


# -- reading ------------------------------------------------------------------------------


def retrieve(ctx: Context) -> dict[str, Any]:
    """A read moves the run one status on (§14.1); a poll is answered ``openai-poll-after-ms``
    by the router's headers, so the SDK's poll helpers wait a millisecond."""
    with ctx.store.transaction() as tx:
        run = Stepper(ctx, tx).advance(stored(ctx))
    return render_run(run, ctx.rules.runs)


def list_(ctx: Context) -> dict[str, Any]:
    thread_id = threads.stored(ctx)["id"]
    rules = ctx.rules.runs
    return list_page(
        ctx, RUN, lambda run: render_run(run, rules), where=lambda r: r["thread_id"] == thread_id
    )


# -- changing -------------------------------------------------------------------------------


def modify(ctx: Context) -> dict[str, Any]:
    """Metadata only; v1 refused it while the run was active (§14.4)."""
    patch = _body(ctx)
    with ctx.store.transaction() as tx:
        run = dict(stored(ctx))
        validate(modify_schema(ctx.rules), patch)
        if not ctx.rules.runs.modify_while_active and run["status"] not in TERMINAL:
            raise errors.cannot_update_run(run["status"])
        if "metadata" in patch:
            run["metadata"] = metadata_of(patch["metadata"])
        tx.put(RUN, run)
    return render_run(run, ctx.rules.runs)


def cancel(ctx: Context) -> dict[str, Any]:
    """Answers ``cancelling``; the next read shows ``cancelled`` (§14.1)."""
    with ctx.store.transaction() as tx:
        run = dict(stored(ctx))
        if run["status"] not in CANCELLABLE:
            raise errors.cannot_cancel(run["status"])
        run.update(status="cancelling", required_action=None)
        _close_step(ctx, tx, run, status="cancelled")
        tx.put(RUN, run)
    return render_run(run, ctx.rules.runs)


def submit_tool_outputs(ctx: Context) -> Any:
    """Outputs for the calls of a ``requires_action`` run: its tool-calls step completes, the
    run is ``queued`` again with ``started_at`` and ``expires_at`` kept (§14.1)."""
    body = _body(ctx)
    with ctx.store.transaction() as tx:
        run = dict(stored(ctx))
        validate(outputs_schema(ctx.rules), body)
        if run["status"] != "requires_action":
            raise errors.no_tool_outputs(run["status"])
        outputs = {o.get("tool_call_id"): o.get("output") for o in body["tool_outputs"]}
        step = _close_step(ctx, tx, run, status="completed", outputs=outputs)
        run.update(status="queued", required_action=None)
        tx.put(RUN, run)
        if not body.get("stream"):
            return render_run(run, ctx.rules.runs)
        stepper = Stepper(ctx, tx, [])
        if step is not None:
            stepper.emit_step(step, "completed")
        stepper.emit_run(run, "queued")  # never thread.run.created (§14.3)
        stepper.until_it_waits(run)
        events = stepper.events or []
    return EventStream([*events, ("done", "[DONE]")])


def _close_step(
    ctx: Context,
    tx: Transaction,
    run: Record,
    *,
    status: str,
    outputs: dict[Any, Any] | None = None,
) -> Record | None:
    """End the tool-calls step the run waits on, filling in the outputs given."""
    step_id = run.get("_step")
    if not step_id:
        return None
    run["_step"] = None
    step = tx.get(STEP, step_id)
    if step is None:
        return None
    now = ctx.store.clock.now()
    calls = []
    for call in step["step_details"]["tool_calls"]:
        function = {**call["function"], "output": (outputs or {}).get(call["id"])}
        calls.append({**call, "function": function})
    written = sum(tokens(c["function"]["arguments"]) for c in calls)
    step = {  # expires_at kept while the run is active (see list_steps)
        **step,
        "status": status,
        "step_details": {"type": "tool_calls", "tool_calls": calls},
        f"{status}_at": now,
        "usage": usage(0, written, ctx.rules.runs),
    }
    tx.put(STEP, step)
    return step


# -- run steps ------------------------------------------------------------------------------


def _step_of(run: Record) -> Callable[[Record], Record]:
    """A step as its run's state shows it: ``expires_at`` is the run's while the run is
    active, ``null`` once it has ended (§14.1, [RB]: 66 of 66 streamed step events carry it,
    99 of 99 steps read after their run ended are null)."""
    ended = run["status"] in TERMINAL
    return lambda step: {**step, "expires_at": None} if ended else step


def list_steps(ctx: Context) -> dict[str, Any]:
    run = stored(ctx)
    run_id, shown, rules = run["id"], _step_of(run), ctx.rules.runs
    return list_page(
        ctx,
        STEP,
        lambda step: render_step(shown(step), rules),
        where=lambda s: s["run_id"] == run_id,
    )


def retrieve_step(ctx: Context) -> dict[str, Any]:
    run = stored(ctx)
    step_id = ctx.params["step_id"]
    not_found = partial(errors.object_not_found, "run step", step_id)  # §14.4, recorded
    step = require(ctx.store, STEP, step_id, not_found, run_id=run["id"])
    return render_step(_step_of(run)(step), ctx.rules.runs)
