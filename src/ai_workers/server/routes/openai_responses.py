"""OpenAI's Responses API (``POST /v1/responses``) over the chat pipeline, streamed or not.

``client.responses.create(...)`` and ``client.responses.stream(...)`` of the official SDKs work
unchanged. A Responses request becomes a ``ChatRequest`` at the edge (``input`` items to messages,
``instructions`` to a system message, function tools, ``text.format`` to ``response_format``), so it
gets everything a chat request gets: budgets, PHI redaction and restore, caching, routing, retries,
fallback and a usage record. The answer goes back as a Response object, or as the Responses stream's
semantic events (``response.created`` ... ``response.output_text.delta`` ... ``response.completed``).

What it does not do, and says so with a 400 naming the field instead of ignoring it: stored responses
(``previous_response_id``, ``conversation``, ``background``, and ``GET /v1/responses/{id}``: this
gateway keeps no conversation state, so send the whole conversation in ``input``), OpenAI's built-in
tools (web search, file search, code interpreter, computer use, MCP, image generation), file inputs,
and reusable prompts. ``store`` is accepted and answered as ``false``.
"""

from __future__ import annotations

import time
import uuid
from typing import Annotated, Any

import msgspec
from starlette.routing import BaseRoute, Route

from ai_workers.core.context import gateway_info
from ai_workers.core.errors import AIWorkersError, InvalidRequestError
from ai_workers.core.types import (
    Capability,
    ChatChunk,
    ChatRequest,
    ChatResponse,
    ContentPart,
    FunctionCall,
    ImageURL,
    Message,
    OutputTokens,
    StreamOptions,
    ToolCall,
    Usage,
)
from ai_workers.server.dispatch import ApiEndpoint, Call, Services, StreamEvents
from ai_workers.server.http import Scope
from ai_workers.server.responses import encode_json, validation_error
from ai_workers.server.routes.openai import JSON_TYPE, check_messages, render_openai_error

_UNSTORED = "this gateway does not store responses; send the whole conversation in input"
# Request fields that need state or services this gateway does not have: a 400 rather than silence.
_UNSUPPORTED_FIELDS = {
    "previous_response_id": _UNSTORED,
    "conversation": _UNSTORED,
    "background": "background responses are not supported; stream the response instead",
    "prompt": "reusable prompts are not supported; send instructions and input",
}
LOGPROBS_INCLUDE = "message.output_text.logprobs"
_ROLES = {"user": "user", "assistant": "assistant", "system": "system", "developer": "system"}


class ResponsesBody(msgspec.Struct, kw_only=True):
    """The fields of ``POST /v1/responses`` this gateway reads; other fields are ignored, as OpenAI's
    own optional ones (``truncation``, ``service_tier``...) change nothing here. Of ``include``, only
    ``message.output_text.logprobs`` has something to include here (the other values name hosted
    tools, images by file id or stored reasoning, which this gateway does not have)."""

    model: str
    input: str | list[dict[str, Any]]
    instructions: str | None = None
    max_output_tokens: OutputTokens | None = None
    temperature: Annotated[float, msgspec.Meta(ge=0, le=2)] | None = None
    top_p: Annotated[float, msgspec.Meta(ge=0, le=1)] | None = None
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | dict[str, Any] | None = None
    parallel_tool_calls: bool | None = None
    text: dict[str, Any] | None = None
    stream: bool | None = None
    store: bool | None = None
    user: str | None = None
    metadata: dict[str, str] | None = None
    reasoning: dict[str, Any] | None = None
    previous_response_id: str | None = None
    conversation: Any = None
    background: bool | None = None
    prompt: Any = None
    include: list[str] | None = None
    top_logprobs: Annotated[int, msgspec.Meta(ge=0, le=20)] | None = None

    @property
    def wants_logprobs(self) -> bool:
        return LOGPROBS_INCLUDE in (self.include or ())


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


# -- request: Responses -> chat ----------------------------------------------------------------------


def to_chat_request(body: ResponsesBody) -> ChatRequest:
    """The chat request that asks for what ``body`` asks for; a 400 naming the field otherwise."""
    for field, reason in _UNSUPPORTED_FIELDS.items():
        if getattr(body, field) not in (None, False):
            raise InvalidRequestError(f"{field}: not supported: {reason}", param=field)
    messages: list[Message] = []
    if body.instructions:
        messages.append(Message(role="system", content=body.instructions))
    if isinstance(body.input, str):
        messages.append(Message(role="user", content=body.input))
    else:
        for index, item in enumerate(body.input):
            _add_item(messages, item, f"input[{index}]")
    if not any(m.role == "user" or m.role == "tool" for m in messages):
        raise InvalidRequestError("input: at least one user message is required", param="input")
    request = ChatRequest(
        model=body.model,
        messages=messages,
        max_tokens=body.max_output_tokens,
        temperature=body.temperature,
        top_p=body.top_p,
        tools=_tools(body.tools) if body.tools else None,
        tool_choice=_tool_choice(body.tool_choice),
        parallel_tool_calls=body.parallel_tool_calls,
        response_format=_response_format(body.text),
        reasoning_effort=_effort(body.reasoning),
        logprobs=True if body.wants_logprobs else None,
        top_logprobs=body.top_logprobs if body.wants_logprobs else None,
        stream=True if body.stream else None,
        stream_options=StreamOptions(include_usage=True) if body.stream else None,
        user=body.user,
        metadata=body.metadata,
    )
    # Built from loosely typed items: check it as if it had been decoded from a chat request, so a
    # value of the wrong type is a 400 here rather than an error in a later stage.
    try:
        return msgspec.convert(msgspec.to_builtins(request), ChatRequest)
    except msgspec.ValidationError as exc:
        raise validation_error(exc) from None


def _effort(reasoning: dict[str, Any] | None) -> str | None:
    effort = (reasoning or {}).get("effort")
    if effort is not None and not isinstance(effort, str):
        raise InvalidRequestError("reasoning.effort: expected a string", param="reasoning.effort")
    return effort


def _add_item(messages: list[Message], item: dict[str, Any], where: str) -> None:
    kind = item.get("type", "message" if "role" in item else None)
    if kind == "message":
        role = _ROLES.get(str(item.get("role")))
        if role is None:
            raise InvalidRequestError(
                f"{where}.role: must be user, assistant, system or developer", param=f"{where}.role"
            )
        content = _content(item.get("content"), f"{where}.content")
        if role != "user" and not isinstance(content, str):
            content = "".join(part.text or "" for part in content)  # only user messages carry images
        messages.append(Message(role=role, content=content))  # type: ignore[arg-type]
    elif kind == "function_call":
        arguments = item.get("arguments", "")
        if not isinstance(arguments, str):
            raise InvalidRequestError(
                f"{where}.arguments: expected a string (the arguments as JSON text)",
                param=f"{where}.arguments",
            )
        call = ToolCall(
            id=_required_str(item, "call_id", where),
            function=FunctionCall(name=_required_str(item, "name", where), arguments=arguments),
        )
        last = messages[-1] if messages else None
        if last is not None and last.role == "assistant" and last.tool_calls:
            last.tool_calls.append(call)  # parallel calls of one turn: one assistant message
        else:
            messages.append(Message(role="assistant", content=None, tool_calls=[call]))
    elif kind == "function_call_output":
        output = _content(item.get("output", ""), f"{where}.output")
        if not isinstance(output, str):
            output = "".join(part.text or "" for part in output)
        messages.append(
            Message(role="tool", content=output, tool_call_id=_required_str(item, "call_id", where))
        )
    elif kind == "reasoning":
        return  # a reasoning model's earlier thoughts: nothing a chat model can take back in
    else:
        raise InvalidRequestError(
            f"{where}.type: '{kind}' items are not supported (message, function_call, "
            "function_call_output and reasoning items are)",
            param=f"{where}.type",
        )


def _required_str(item: dict[str, Any], field: str, where: str) -> str:
    value = item.get(field)
    if not isinstance(value, str) or not value:
        raise InvalidRequestError(f"{where}.{field}: this field is required", param=f"{where}.{field}")
    return value


def _content(content: Any, where: str) -> str | list[ContentPart]:
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        raise InvalidRequestError(f"{where}: expected a string or a list of parts", param=where)
    parts: list[ContentPart] = []
    for index, part in enumerate(content):
        at = f"{where}[{index}]"
        kind = part.get("type") if isinstance(part, dict) else None
        if kind in ("input_text", "output_text", "text"):
            parts.append(ContentPart(type="text", text=str(part.get("text", ""))))
        elif kind == "refusal":
            parts.append(ContentPart(type="text", text=str(part.get("refusal", ""))))
        elif kind == "input_image":
            url = part.get("image_url")
            if not isinstance(url, str) or not url:
                raise InvalidRequestError(
                    f"{at}.image_url: give the image as a URL or a data: URL (file ids are not supported)",
                    param=f"{at}.image_url",
                )
            detail = part.get("detail")
            if detail is not None and not isinstance(detail, str):
                raise InvalidRequestError(f"{at}.detail: expected a string", param=f"{at}.detail")
            parts.append(ContentPart(type="image_url", image_url=ImageURL(url=url, detail=detail)))
        else:
            raise InvalidRequestError(
                f"{at}.type: '{kind}' parts are not supported (input_text and input_image are)",
                param=f"{at}.type",
            )
    return parts


def _tools(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for index, tool in enumerate(tools):
        if tool.get("type") != "function":
            raise InvalidRequestError(
                f"tools[{index}].type: '{tool.get('type')}' is an OpenAI-hosted tool; this gateway "
                "supports function tools",
                param=f"tools[{index}].type",
            )
        function = {"name": _required_str(tool, "name", f"tools[{index}]")}
        for field in ("description", "parameters", "strict"):
            if tool.get(field) is not None:
                function[field] = tool[field]
        out.append({"type": "function", "function": function})
    return out


def _tool_choice(choice: str | dict[str, Any] | None) -> str | dict[str, Any] | None:
    if choice is None or isinstance(choice, str):
        return choice
    if choice.get("type") == "function" and isinstance(choice.get("name"), str):
        return {"type": "function", "function": {"name": choice["name"]}}
    raise InvalidRequestError(
        "tool_choice: only 'auto', 'none', 'required' or a function ({type: function, name}) are supported",
        param="tool_choice",
    )


def _response_format(text: dict[str, Any] | None) -> dict[str, Any] | None:
    fmt = (text or {}).get("format")
    if fmt is not None and not isinstance(fmt, dict):
        raise InvalidRequestError("text.format: expected an object with a type", param="text.format")
    if not fmt or fmt.get("type") == "text":
        return None
    if fmt.get("type") == "json_object":
        return {"type": "json_object"}
    if fmt.get("type") == "json_schema":
        schema = {k: fmt[k] for k in ("name", "schema", "strict", "description") if k in fmt}
        return {"type": "json_schema", "json_schema": schema}
    raise InvalidRequestError(
        "text.format.type: must be text, json_object or json_schema", param="text.format.type"
    )


# -- answer: chat -> Response object -------------------------------------------------------------------


def _usage(usage: Usage | None) -> dict[str, Any] | None:
    if usage is None:
        return None
    return {
        "input_tokens": usage.prompt_tokens,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": usage.completion_tokens,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": usage.total_tokens or usage.prompt_tokens + usage.completion_tokens,
    }


def _incomplete(finish_reason: str | None) -> dict[str, str] | None:
    if finish_reason == "length":
        return {"reason": "max_output_tokens"}
    if finish_reason == "content_filter":
        return {"reason": "content_filter"}
    return None


def _text_part(text: str, logprobs: list[Any] | None = None) -> dict[str, Any]:
    return {"type": "output_text", "text": text, "annotations": [], "logprobs": logprobs or []}


def _token_logprobs(logprobs: dict[str, Any] | None) -> list[Any]:
    """A chat choice's ``logprobs.content`` entries ({token, logprob, bytes, top_logprobs}): the
    Responses API's output_text ``logprobs`` entries have the same shape."""
    content = (logprobs or {}).get("content")
    return content if isinstance(content, list) else []


def _message_item(item_id: str, text: str, status: str, logprobs: list[Any] | None = None) -> dict[str, Any]:
    content = [_text_part(text, logprobs)] if status == "completed" else []
    return {"id": item_id, "type": "message", "status": status, "role": "assistant", "content": content}


def _call_item(item_id: str, call_id: str, name: str, arguments: str, status: str) -> dict[str, Any]:
    return {
        "id": item_id,
        "type": "function_call",
        "status": status,
        "call_id": call_id,
        "name": name,
        "arguments": arguments,
    }


def response_object(
    body: ResponsesBody,
    response_id: str,
    created_at: int,
    *,
    status: str,
    output: list[dict[str, Any]],
    usage: dict[str, Any] | None,
    incomplete: dict[str, str] | None = None,
    error: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A Response object as OpenAI returns it, echoing the request's settings."""
    return {
        "id": response_id,
        "object": "response",
        "created_at": created_at,
        "status": status,
        "error": error,
        "incomplete_details": incomplete,
        "instructions": body.instructions,
        "max_output_tokens": body.max_output_tokens,
        "model": body.model,
        "output": output,
        "parallel_tool_calls": body.parallel_tool_calls if body.parallel_tool_calls is not None else True,
        "previous_response_id": None,
        "reasoning": {"effort": _effort(body.reasoning), "summary": None},
        "store": False,
        "temperature": body.temperature,
        "text": body.text or {"format": {"type": "text"}},
        "tool_choice": body.tool_choice or "auto",
        "tools": body.tools or [],
        "top_p": body.top_p,
        "top_logprobs": body.top_logprobs,
        "truncation": "disabled",
        "usage": usage,
        "user": body.user,
        "metadata": body.metadata or {},
    }


def from_chat_response(body: ResponsesBody, result: ChatResponse) -> dict[str, Any]:
    choice = result.choices[0] if result.choices else None
    output: list[dict[str, Any]] = []
    if choice is not None:
        message = choice.message
        if message.content:
            logprobs = _token_logprobs(choice.logprobs) if body.wants_logprobs else None
            output.append(_message_item(_new_id("msg"), message.content, "completed", logprobs))
        elif message.refusal:
            item = _message_item(_new_id("msg"), "", "completed")
            item["content"] = [{"type": "refusal", "refusal": message.refusal}]
            output.append(item)
        for call in message.tool_calls or []:
            function = call.function or FunctionCall()
            output.append(
                _call_item(
                    _new_id("fc"),
                    call.id or _new_id("call"),
                    function.name or "",
                    function.arguments or "",
                    "completed",
                )
            )
    incomplete = _incomplete(choice.finish_reason if choice else None)
    return response_object(
        body,
        _new_id("resp"),
        result.created,
        status="incomplete" if incomplete else "completed",
        output=output,
        usage=_usage(result.usage),
        incomplete=incomplete,
    )


# -- streamed answer: chat chunks -> Responses events ------------------------------------------------


class ResponsesEvents(StreamEvents):
    """Turns one chat stream into the Responses stream's events, in OpenAI's order: the response is
    created; each output item (the message, each function call) is added, grows by deltas and is done;
    then ``response.completed`` (or ``response.incomplete``) carries the whole Response. Every event has
    the next ``sequence_number``; there is no ``[DONE]``."""

    def __init__(self, body: ResponsesBody) -> None:
        self.body = body
        self.response_id = _new_id("resp")
        self.created_at = int(time.time())
        self.sequence = 0
        self.output: list[dict[str, Any]] = []  # items, in output order
        self.open: list[int] = []  # output indexes of items not yet done
        self.text_index: int | None = None  # the message item text goes to, while it is open
        self.texts: dict[int, str] = {}  # output index of a message item -> its text so far
        self.logprobs: dict[int, list[Any]] = {}  # ... and its token logprobs so far (when included)
        self.calls: dict[int, int] = {}  # chat tool-call index -> output index
        self.usage: Usage | None = None
        self.finish_reason: str | None = None

    def _event(self, kind: str, **fields: Any) -> bytes:
        data = {"type": kind, "sequence_number": self.sequence, **fields}
        self.sequence += 1
        return b"event: " + kind.encode() + b"\ndata: " + encode_json(data) + b"\n\n"

    def _response(self, status: str, **extra: Any) -> dict[str, Any]:
        return response_object(
            self.body, self.response_id, self.created_at, status=status, output=self.output,
            usage=_usage(self.usage) if status != "in_progress" else None, **extra,
        )  # fmt: skip

    def opening(self) -> bytes:
        return self._event("response.created", response=self._response("in_progress")) + self._event(
            "response.in_progress", response=self._response("in_progress")
        )

    def chunk(self, chunk: ChatChunk) -> bytes:
        out = b""
        if chunk.usage is not None:
            self.usage = chunk.usage
        for choice in chunk.choices[:1]:
            delta = choice.delta
            if delta.content:
                logprobs = _token_logprobs(choice.logprobs) if self.body.wants_logprobs else []
                out += self._text_delta(delta.content, logprobs)
            for call in delta.tool_calls or []:
                out += self._call_delta(call)
            if choice.finish_reason:
                self.finish_reason = choice.finish_reason
        return out

    def _text_delta(self, text: str, logprobs: list[Any]) -> bytes:
        out = b""
        if self.text_index is None:
            index = self._add(_message_item(_new_id("msg"), "", "in_progress"))
            self.text_index = index
            self.texts[index] = ""
            self.logprobs[index] = []
            out += self._event("response.output_item.added", output_index=index, item=self.output[index])
            out += self._event(
                "response.content_part.added", item_id=self.output[index]["id"], output_index=index,
                content_index=0, part=_text_part(""),
            )  # fmt: skip
        index = self.text_index
        self.texts[index] += text
        self.logprobs[index] += logprobs
        return out + self._event(
            "response.output_text.delta", item_id=self.output[index]["id"], output_index=index,
            content_index=0, delta=text, logprobs=logprobs,
        )  # fmt: skip

    def _call_delta(self, call: ToolCall) -> bytes:
        out = b""
        position = call.index or 0
        function = call.function or FunctionCall()
        if position not in self.calls:
            if self.text_index is not None:  # the text before a call is finished before the call starts
                out += self._finish(self.text_index)
                self.text_index = None
            item = _call_item(
                _new_id("fc"), call.id or _new_id("call"), function.name or "", "", "in_progress"
            )
            self.calls[position] = self._add(item)
            out += self._event("response.output_item.added", output_index=self.calls[position], item=item)
        index = self.calls[position]
        if function.arguments:
            self.output[index]["arguments"] += function.arguments
            out += self._event(
                "response.function_call_arguments.delta", item_id=self.output[index]["id"],
                output_index=index, delta=function.arguments,
            )  # fmt: skip
        return out

    def _add(self, item: dict[str, Any]) -> int:
        self.output.append(item)
        self.open.append(len(self.output) - 1)
        return len(self.output) - 1

    def _finish(self, index: int) -> bytes:
        self.open.remove(index)
        item = self.output[index]
        item["status"] = "completed"
        out = b""
        if item["type"] == "message":
            text, logprobs = self.texts[index], self.logprobs[index]
            item["content"] = [_text_part(text, logprobs)]
            out += self._event(
                "response.output_text.done", item_id=item["id"], output_index=index, content_index=0,
                text=text, logprobs=logprobs,
            )  # fmt: skip
            out += self._event(
                "response.content_part.done", item_id=item["id"], output_index=index, content_index=0,
                part=_text_part(text, logprobs),
            )  # fmt: skip
        else:
            out += self._event(
                "response.function_call_arguments.done", item_id=item["id"], output_index=index,
                name=item["name"], arguments=item["arguments"],
            )  # fmt: skip
        return out + self._event("response.output_item.done", output_index=index, item=item)

    def closing(self) -> bytes:
        out = b""
        for index in list(self.open):
            out += self._finish(index)
        incomplete = _incomplete(self.finish_reason)
        if incomplete:
            response = self._response("incomplete", incomplete=incomplete)
            return out + self._event("response.incomplete", response=response)
        return out + self._event("response.completed", response=self._response("completed"))

    def failed(self, error: AIWorkersError) -> bytes:
        """OpenAI's shape for a response that failed mid-stream: an ``error`` event, then
        ``response.failed`` carrying the output so far (its items stay in_progress)."""
        info = error.to_openai()["error"]
        code = info.get("code") or info.get("type")
        out = self._event("error", code=code, message=info.get("message"), param=info.get("param"))
        failure = {"code": code, "message": info.get("message")}
        return out + self._event("response.failed", response=self._response("failed", error=failure))


class Responses(ApiEndpoint):
    """Streams always carry their own ``ResponsesEvents``, so no ``encode_chunk`` is needed."""

    route = "/v1/responses"
    render_error = staticmethod(render_openai_error)

    def __init__(self) -> None:
        self.decoder = msgspec.json.Decoder(ResponsesBody)

    def decode(self, services: Services, scope: Scope, body: bytes) -> Call:
        request = self.decoder.decode(body)
        chat = to_chat_request(request)
        check_messages(chat, services.gateway.config.current.server.max_messages)

        def render(result: Any, ctx: Any) -> tuple[bytes, bytes]:
            if not isinstance(result, ChatResponse):
                raise TypeError(f"chat returned {type(result).__name__}")
            obj = from_chat_response(request, result)
            obj["x_ai_workers"] = gateway_info(ctx)
            return encode_json(obj), JSON_TYPE

        return Call(
            Capability.CHAT,
            chat.model,
            chat,
            render,
            user=request.user,
            stream=bool(request.stream),
            events=ResponsesEvents(request) if request.stream else None,
        )


def routes() -> list[BaseRoute]:
    return [Route("/v1/responses", Responses(), methods=["POST"])]
