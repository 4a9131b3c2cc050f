"""The Responses API (``client.responses``) of the official openai SDK against the live gateway."""

from __future__ import annotations

import json
from typing import Any

import httpx
import openai
import pytest

from tests.server.live import LiveServer

TOOLS: list[Any] = [
    {
        "type": "function",
        "name": "lookup",
        "description": "Look something up.",
        "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]},
    }
]


def client(live: LiveServer, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=live.url + "/v1", api_key=key, max_retries=0)


def last_chat_body(fake: Any) -> Any:
    return [r for r in fake.requests if r.path.endswith("/chat/completions")][-1].json()


def test_a_response_with_instructions_goes_through_the_chat_pipeline(
    live: LiveServer, alpha_key: str, fakes: Any
) -> None:
    _, upstream = fakes
    upstream.clear()
    raw = client(live, alpha_key).responses.with_raw_response.create(
        model="gpt-4o-mini", instructions="Answer briefly.", input="what is a widget", max_output_tokens=50
    )
    response = raw.parse()
    assert response.output_text == "Echo: what is a widget"
    assert response.status == "completed" and response.object == "response"
    assert response.id.startswith("resp_") and response.output[0].id.startswith("msg_")
    assert response.usage is not None and response.usage.total_tokens > 0
    assert response.max_output_tokens == 50 and response.instructions == "Answer briefly."
    assert raw.headers["x-ai-workers-provider"] == "openai"
    assert (response.model_extra or {})["x_ai_workers"]["request_id"] == raw.headers["x-request-id"]
    sent = last_chat_body(upstream)
    assert sent["messages"] == [
        {"role": "system", "content": "Answer briefly."},
        {"role": "user", "content": "what is a widget"},
    ]
    assert sent["max_tokens"] == 50


def test_streamed_events_come_in_order_and_the_helper_assembles_them(
    live: LiveServer, alpha_key: str
) -> None:
    sdk = client(live, alpha_key)
    events = list(
        sdk.responses.create(model="llama-3.3-70b-instruct-fp8-fast", input="four words here", stream=True)
    )
    kinds = [e.type for e in events]
    assert kinds[:4] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
    ]
    assert kinds[-4:] == [
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    deltas = [e.delta for e in events if e.type == "response.output_text.delta"]
    assert len(deltas) > 1 and "".join(deltas) == "Echo: four words here"
    assert [e.sequence_number for e in events] == list(range(len(events)))
    completed = events[-1].response  # type: ignore[union-attr]
    assert completed.output_text == "Echo: four words here" and completed.usage.output_tokens > 0

    with sdk.responses.stream(
        model="gpt-4o-mini", input=[{"role": "user", "content": "via helper"}]
    ) as stream:
        for _ in stream:
            pass
        final = stream.get_final_response()
    assert final.output_text == "Echo: via helper"


def test_included_logprobs_come_back_plain_and_streamed(live: LiveServer, alpha_key: str, fakes: Any) -> None:
    """``include: ["message.output_text.logprobs"]`` and ``top_logprobs`` were ignored: the output
    text's ``logprobs`` stayed empty from a model that gives them."""
    _, upstream = fakes
    sdk = client(live, alpha_key)
    ask: dict[str, Any] = {"include": ["message.output_text.logprobs"], "top_logprobs": 2}
    plain = sdk.responses.create(model="gpt-4o-mini", input="rate these words", **ask)
    part = plain.output[0].content[0]  # type: ignore[union-attr]
    assert part.type == "output_text" and part.logprobs
    assert "".join(entry.token for entry in part.logprobs) == plain.output_text
    assert all(len(entry.top_logprobs) == 2 for entry in part.logprobs)
    assert plain.top_logprobs == 2
    sent = last_chat_body(upstream)
    assert sent["logprobs"] is True and sent["top_logprobs"] == 2

    events = list(sdk.responses.create(model="gpt-4o-mini", input="rate more words", stream=True, **ask))
    deltas = [e for e in events if e.type == "response.output_text.delta"]
    streamed = [entry.token for e in deltas for entry in e.logprobs]
    done = next(e for e in events if e.type == "response.output_text.done")
    assert "".join(streamed) == done.text == "".join(entry.token for entry in done.logprobs)
    final = events[-1].response  # type: ignore[union-attr]
    assert [entry.token for entry in final.output[0].content[0].logprobs] == streamed

    without = sdk.responses.create(model="gpt-4o-mini", input="rate these words")
    assert without.output[0].content[0].logprobs == []  # type: ignore[union-attr]
    assert "logprobs" not in last_chat_body(upstream)


def test_raw_stream_has_named_events_and_no_done_marker(live: LiveServer, alpha_key: str) -> None:
    body = {"model": "gpt-4o-mini", "input": "two words", "stream": True}
    headers = {"authorization": f"Bearer {alpha_key}"}
    with httpx.stream("POST", live.url + "/v1/responses", json=body, headers=headers) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]
    assert "data: [DONE]" not in lines
    names = [line.removeprefix("event: ") for line in lines if line.startswith("event: ")]
    datas = [json.loads(line.removeprefix("data: ")) for line in lines if line.startswith("data: ")]
    assert names == [d["type"] for d in datas] and names[-1] == "response.completed"


def test_function_tools_round_trip(live: LiveServer, alpha_key: str, fakes: Any) -> None:
    _, upstream = fakes
    sdk = client(live, alpha_key)
    first = sdk.responses.create(
        model="gpt-4o-mini",
        input="find the weather",
        tools=TOOLS,
        parallel_tool_calls=False,
        reasoning={"effort": "low"},
    )
    [call] = [item for item in first.output if item.type == "function_call"]
    assert call.name == "lookup" and json.loads(call.arguments) == {"query": "find the weather"}
    sent = last_chat_body(upstream)
    assert sent["parallel_tool_calls"] is False and sent["reasoning_effort"] == "low"
    sent_tools = sent["tools"]
    assert sent_tools == [
        {"type": "function", "function": {k: v for k, v in TOOLS[0].items() if k != "type"}}
    ]

    second = sdk.responses.create(
        model="gpt-4o-mini",
        tools=TOOLS,
        input=[
            {"role": "user", "content": "find the weather"},
            {
                "type": "function_call",
                "call_id": call.call_id,
                "name": call.name,
                "arguments": call.arguments,
            },
            {"type": "function_call_output", "call_id": call.call_id, "output": "sunny"},
        ],
    )
    assert second.output_text == "Echo: sunny"
    messages = last_chat_body(upstream)["messages"]
    assert messages[1]["role"] == "assistant" and messages[1]["tool_calls"][0]["id"] == call.call_id
    assert messages[2] == {"role": "tool", "content": "sunny", "tool_call_id": call.call_id}

    with sdk.responses.stream(model="gpt-4o-mini", input="stream a call", tools=TOOLS) as stream:
        kinds = [event.type for event in stream]
        final = stream.get_final_response()
    assert "response.function_call_arguments.delta" in kinds
    assert "response.function_call_arguments.done" in kinds
    [streamed] = final.output
    assert streamed.type == "function_call" and json.loads(streamed.arguments) == {"query": "stream a call"}


def test_text_format_becomes_the_chat_response_format(live: LiveServer, alpha_key: str, fakes: Any) -> None:
    _, upstream = fakes
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}
    client(live, alpha_key).responses.create(
        model="gpt-4o-mini",
        input="json please",
        text={"format": {"type": "json_schema", "name": "answer", "schema": schema, "strict": True}},
    )
    assert last_chat_body(upstream)["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "answer", "schema": schema, "strict": True},
    }


def test_phi_is_redacted_upstream_and_restored_in_the_response(
    live: LiveServer, alpha_key: str, fakes: Any
) -> None:
    _, upstream = fakes
    prompt = "Patient John Smith, MRN 55512345, reports a cough."
    response = client(live, alpha_key).responses.create(model="gpt-4o-mini", input=prompt)
    sent = json.dumps(last_chat_body(upstream))
    assert "John Smith" not in sent and "55512345" not in sent and "[NAME_1]" in sent
    assert response.output_text == f"Echo: {prompt}"


def test_what_needs_stored_state_or_hosted_tools_is_a_clear_400(live: LiveServer, alpha_key: str) -> None:
    sdk = client(live, alpha_key)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"previous_response_id": "resp_1"}, "previous_response_id"),
        ({"tools": [{"type": "web_search"}]}, "tools[0].type"),
        ({"temperature": 3}, "temperature"),
        (
            {"input": [{"role": "user", "content": [{"type": "input_file", "file_id": "f"}]}]},
            "input[0].content[0].type",
        ),
        ({"input": [{"type": "item_reference", "id": "msg_1"}]}, "input[0].type"),
        ({"tool_choice": {"type": "web_search"}}, "tool_choice"),
        ({"text": {"format": "json"}}, "text.format"),
        ({"reasoning": {"effort": 3}}, "reasoning.effort"),
        (
            {"input": [{"type": "function_call", "call_id": "c", "name": "lookup", "arguments": 5}]},
            "input[0].arguments",
        ),
    ]
    for extra, param in cases:
        with pytest.raises(openai.BadRequestError) as info:
            sdk.responses.create(**{"model": "gpt-4o-mini", "input": "hi", **extra})
        assert info.value.body["param"] == param, extra  # type: ignore[index]
    with pytest.raises(openai.NotFoundError) as stored:
        sdk.responses.retrieve("resp_123")
    assert stored.value.body["code"] == "unsupported_endpoint"  # type: ignore[index]
    assert "input" in stored.value.message


def test_a_stream_cut_midway_ends_with_response_failed(live: LiveServer, alpha_key: str, fakes: Any) -> None:
    _, upstream = fakes
    upstream.inject("cut_stream", times=1)
    try:
        events = list(
            client(live, alpha_key).responses.create(
                model="gpt-4o-mini", input="a longer answer that gets cut", stream=True
            )
        )
    finally:
        upstream.clear()
    kinds = [e.type for e in events]
    assert "response.completed" not in kinds
    assert kinds[-2:] == ["error", "response.failed"]
    failed = events[-1].response  # type: ignore[union-attr]
    assert failed.status == "failed" and failed.error is not None and failed.error.message
