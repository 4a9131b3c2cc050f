"""Stream assembly and replay: what a client sees is the same answer either way, tool calls included."""

from __future__ import annotations

from ai_workers.cache.entries import assemble_chunks, replay_stream
from ai_workers.core.types import (
    AssistantMessage,
    ChatChoice,
    ChatChunk,
    ChatResponse,
    ChunkChoice,
    Delta,
    FunctionCall,
    ToolCall,
    Usage,
)


def chunk(delta: Delta, finish: str | None = None, usage: Usage | None = None) -> ChatChunk:
    return ChatChunk(
        id="c", model="m", choices=[ChunkChoice(index=0, delta=delta, finish_reason=finish)], usage=usage
    )


def test_tool_call_deltas_assemble_into_one_call() -> None:
    chunks = [
        chunk(Delta(role="assistant")),
        chunk(
            Delta(
                tool_calls=[
                    ToolCall(index=0, id="call_1", function=FunctionCall(name="lookup", arguments='{"q"'))
                ]
            )
        ),
        chunk(Delta(tool_calls=[ToolCall(index=0, function=FunctionCall(arguments=': "x"}'))])),
        chunk(Delta(), finish="tool_calls"),
        ChatChunk(
            id="c", model="m", choices=[], usage=Usage(prompt_tokens=3, completion_tokens=4, total_tokens=7)
        ),
    ]
    response = assemble_chunks(chunks)
    assert response is not None
    call = response.choices[0].message.tool_calls[0]
    assert (call.id, call.function.name, call.function.arguments) == ("call_1", "lookup", '{"q": "x"}')
    assert response.choices[0].finish_reason == "tool_calls" and response.usage.total_tokens == 7


def test_unfinished_or_errored_streams_do_not_assemble() -> None:
    assert assemble_chunks([chunk(Delta(content="half an ans"))]) is None
    assert assemble_chunks([chunk(Delta(content="x")), chunk(Delta(), finish="error")]) is None


async def test_replay_carries_text_tool_calls_finish_and_usage() -> None:
    response = ChatResponse(
        model="m",
        choices=[
            ChatChoice(
                index=0,
                finish_reason="tool_calls",
                message=AssistantMessage(
                    content="Let me check. " * 10,
                    tool_calls=[ToolCall(id="call_1", function=FunctionCall(name="f", arguments="{}"))],
                ),
            )
        ],
        usage=Usage(prompt_tokens=1, completion_tokens=2, total_tokens=3),
    )
    chunks = [c async for c in replay_stream(response, include_usage=True)]
    assert "".join(c.text for c in chunks) == response.choices[0].message.content
    again = assemble_chunks(chunks)
    assert again is not None and again.choices[0].message.tool_calls[0].function.name == "f"
    assert chunks[-1].usage == response.usage and chunks[-1].choices == []


async def test_logprobs_of_a_stream_are_kept_for_the_cached_answer_and_replayed() -> None:
    def token(text: str) -> dict[str, object]:
        return {"token": text, "logprob": -0.5, "bytes": list(text.encode()), "top_logprobs": []}

    chunks = [
        chunk(Delta(role="assistant", content="")),
        ChatChunk(
            id="c",
            model="m",
            choices=[ChunkChoice(index=0, delta=Delta(content="Hi"), logprobs={"content": [token("Hi")]})],
        ),
        ChatChunk(
            id="c",
            model="m",
            choices=[
                ChunkChoice(index=0, delta=Delta(content=" there"), logprobs={"content": [token(" there")]})
            ],
        ),
        chunk(Delta(), finish="stop"),
    ]
    answer = assemble_chunks(chunks)
    assert answer is not None
    assert answer.choices[0].logprobs == {"content": [token("Hi"), token(" there")]}
    replayed = [c async for c in replay_stream(answer, include_usage=False)]
    assert [c.choices[0].logprobs for c in replayed if c.choices[0].logprobs] == [answer.choices[0].logprobs]


async def test_the_recorder_keeps_each_chunk_as_it_passed_even_if_a_later_stage_changes_it() -> None:
    """Stages outside the cache (the safety stage restoring a caller's PHI) see the same chunk objects:
    what the recorder stores must be the chunk as it passed, not as it was left afterwards."""
    from collections.abc import AsyncIterator

    from ai_workers.cache.entries import StreamRecorder

    async def source() -> AsyncIterator[ChatChunk]:
        yield chunk(Delta(role="assistant", content="Hello [NAME_1]"))
        yield chunk(
            Delta(
                tool_calls=[ToolCall(index=0, id="t", function=FunctionCall(name="f", arguments='"[SSN_1]"'))]
            )
        )
        yield chunk(Delta(content="."), finish="stop")

    recorder = StreamRecorder()
    async for item in recorder.wrap(source()):
        for choice in item.choices:  # what a careless outer stage could do to the objects it receives
            if choice.delta.content:
                choice.delta.content = choice.delta.content.replace("[NAME_1]", "Ann Lee")
            for call in choice.delta.tool_calls or ():
                assert call.function is not None
                call.function.arguments = '"123-45-6789"'
    stored = recorder.assemble()
    assert stored is not None
    message = stored.choices[0].message
    assert message.content == "Hello [NAME_1]."
    assert message.tool_calls is not None and message.tool_calls[0].function is not None
    assert message.tool_calls[0].function.arguments == '"[SSN_1]"'
