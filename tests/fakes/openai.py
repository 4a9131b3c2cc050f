"""A fake OpenAI API (and OpenAI-compatible server: vLLM/Ollama/llama.cpp share these routes).

Routes under ``/v1``: chat/completions (JSON and SSE ``chat.completion.chunk`` events with a final usage
chunk when ``stream_options.include_usage``), embeddings, audio/transcriptions (multipart form),
audio/speech (binary audio), moderations, and rerank (vLLM/Jina shape, compatible servers only).
Errors use OpenAI's ``{"error": {"message", "type", "param", "code"}}`` JSON and ``retry-after`` headers.
"""

from __future__ import annotations

import json
import time
from typing import Any

from ai_workers.providers.audio import silent_mp3
from tests.fakes.server import FakeUpstream, Fault, RecordedRequest, Reply, text_vector, words

MODERATION_CATEGORIES = ("harassment", "hate", "self-harm", "sexual", "violence")


def _error(
    status: int, message: str, type_: str, code: str | None = None, headers: dict[str, str] | None = None
) -> Reply:
    body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
    return Reply(status=status, body=json.dumps(body).encode(), headers=headers or {})


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if p.get("type") == "text")
    return ""


class FakeOpenAI(FakeUpstream):
    base_path = "/v1"

    def __init__(self, *, api_key: str | None, compatible: bool = False) -> None:
        super().__init__()
        self.api_key = api_key
        self.compatible = compatible
        # False: a compatible server that ignores ``stream: true`` and answers with a plain completion.
        self.streams = True
        self.reply_text: str | None = None
        self.embedding_dim = 1536

    def error_reply(self, status: int, fault: Fault) -> Reply:
        if status == 429:
            headers = {"retry-after": fault.retry_after} if fault.retry_after else {}
            return _error(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded", headers)
        return _error(status, "The server had an error while processing your request.", "server_error")

    async def respond(self, request: RecordedRequest) -> Reply:
        if self.api_key is not None and request.headers.get("authorization") != f"Bearer {self.api_key}":
            return _error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")
        route = request.path.removeprefix(self.base_path)
        if request.method != "POST":
            return _error(404, f"Invalid URL ({request.method} {request.path})", "invalid_request_error")
        if route in ("/audio/transcriptions", "/audio/translations"):
            return self._transcribe(request, translate=route == "/audio/translations")
        try:
            body = request.json()
        except ValueError:
            return _error(400, "We could not parse the JSON body of your request.", "invalid_request_error")
        handler = {
            "/chat/completions": self._chat,
            "/embeddings": self._embed,
            "/audio/speech": self._speech,
            "/moderations": self._moderate,
        }.get(route)
        if route == "/rerank" and self.compatible:
            handler = self._rerank
        if handler is None:
            return _error(404, f"Invalid URL (POST {request.path})", "invalid_request_error")
        return handler(body)

    def _chat(self, body: dict[str, Any]) -> Reply:
        model, messages = body.get("model"), body.get("messages")
        if not isinstance(model, str) or not isinstance(messages, list) or not messages:
            return _error(400, "you must provide a model and messages", "invalid_request_error")
        if "metadata" in body and not body.get("store"):
            return _error(
                400,
                "The 'metadata' parameter is only allowed when 'store' is enabled.",
                "invalid_request_error",
            )
        last = messages[-1]
        prompt_tokens = sum(words(_text(m.get("content"))) for m in messages)
        created = int(time.time())
        cid = f"chatcmpl-fake{len(self.requests)}"
        tools = body.get("tools")
        if tools and last.get("role") == "user":
            call = {
                "id": "call_fake1",
                "type": "function",
                "function": {
                    "name": tools[0]["function"]["name"],
                    "arguments": json.dumps({"query": _text(last.get("content"))}),
                },
            }
            message = {"role": "assistant", "content": None, "tool_calls": [call], "refusal": None}
            usage = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": 7,
                "total_tokens": prompt_tokens + 7,
            }
            return Reply(
                body=json.dumps(
                    {
                        "id": cid,
                        "object": "chat.completion",
                        "created": created,
                        "model": model,
                        "choices": [
                            {"index": 0, "message": message, "logprobs": None, "finish_reason": "tool_calls"}
                        ],
                        "usage": usage,
                    }
                ).encode()
            )
        answer = self.reply_text or f"Echo: {_text(last.get('content'))}"
        images = sum(
            1
            for m in messages
            if isinstance(m.get("content"), list)
            for p in m["content"]
            if p.get("type") == "image_url"
        )
        if images:
            answer += f" [{images} image part(s)]"
        tokens = answer.split(" ")
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        if limit:
            tokens = tokens[:limit]
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(tokens),
            "total_tokens": prompt_tokens + len(tokens),
            "prompt_tokens_details": {"cached_tokens": 0},
        }
        n = body.get("n") or 1
        want_logprobs = bool(body.get("logprobs"))
        top = body.get("top_logprobs") or 0

        def logprob(i: int, text: str) -> dict[str, Any]:  # deterministic, OpenAI's entry shape
            value = round(-0.05 * (i + 1), 4)
            alternatives = [
                {"token": f"{text}~{k}", "logprob": value - k - 1, "bytes": list(f"{text}~{k}".encode())}
                for k in range(top)
            ]
            return {
                "token": text,
                "logprob": value,
                "bytes": list(text.encode()),
                "top_logprobs": alternatives,
            }

        pieces = [token if i == 0 else " " + token for i, token in enumerate(tokens)]
        if body.get("stream") and self.streams:
            base = {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "system_fingerprint": "fp_fake",
            }
            events = []
            for index in range(n):
                events.append(
                    json.dumps(
                        {
                            **base,
                            "choices": [
                                {
                                    "index": index,
                                    "delta": {"role": "assistant", "content": ""},
                                    "logprobs": None,
                                    "finish_reason": None,
                                }
                            ],
                        }
                    )
                )
                for i, text in enumerate(pieces):
                    entry = {"content": [logprob(i, text)], "refusal": None} if want_logprobs else None
                    events.append(
                        json.dumps(
                            {
                                **base,
                                "choices": [
                                    {
                                        "index": index,
                                        "delta": {"content": text},
                                        "logprobs": entry,
                                        "finish_reason": None,
                                    }
                                ],
                            }
                        )
                    )
                events.append(
                    json.dumps(
                        {
                            **base,
                            "choices": [
                                {"index": index, "delta": {}, "logprobs": None, "finish_reason": "stop"}
                            ],
                        }
                    )
                )
            if (body.get("stream_options") or {}).get("include_usage"):
                events.append(json.dumps({**base, "choices": [], "usage": usage}))
            events.append("[DONE]")
            return Reply(events=events)
        message = {"role": "assistant", "content": " ".join(tokens), "refusal": None, "annotations": []}
        return Reply(
            body=json.dumps(
                {
                    "id": cid,
                    "object": "chat.completion",
                    "created": created,
                    "model": model,
                    "choices": [
                        {
                            "index": index,
                            "message": message,
                            "logprobs": (
                                {"content": [logprob(i, t) for i, t in enumerate(pieces)], "refusal": None}
                                if want_logprobs
                                else None
                            ),
                            "finish_reason": "stop",
                        }
                        for index in range(n)
                    ],
                    "usage": usage,
                    "service_tier": "default",
                    "system_fingerprint": "fp_fake",
                }
            ).encode()
        )

    def _embed(self, body: dict[str, Any]) -> Reply:
        inputs = body.get("input")
        if isinstance(inputs, str):
            inputs = [inputs]
        if not isinstance(inputs, list) or not inputs or len(inputs) > 2048:
            return _error(
                400, "'input' must be a string or an array of 1..2048 strings", "invalid_request_error"
            )
        dim = body.get("dimensions") or self.embedding_dim
        data = [
            {
                "object": "embedding",
                "index": i,
                "embedding": text_vector(t, dim),
            }
            for i, t in enumerate(inputs)
        ]
        tokens = sum(words(t) for t in inputs)
        return Reply(
            body=json.dumps(
                {
                    "object": "list",
                    "data": data,
                    "model": body.get("model"),
                    "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
                }
            ).encode()
        )

    def _transcribe(self, request: RecordedRequest, *, translate: bool = False) -> Reply:
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            return _error(400, "Expected multipart/form-data", "invalid_request_error")
        form = request.form()
        file = form.get("file")
        if not isinstance(file, tuple) or not form.get("model"):
            return _error(400, "you must provide a model parameter and a file", "invalid_request_error")
        duration = round(len(file[1]) / 16000, 3)
        text = "hello from the fake openai whisper" + (" in English" if translate else "")
        if translate and "language" in form:
            return _error(400, "Unrecognized request argument supplied: language", "invalid_request_error")
        if form.get("response_format") == "verbose_json":
            body = {
                "task": "translate" if translate else "transcribe",
                "language": "english",
                "duration": duration,
                "text": text,
                "segments": [
                    {
                        "id": 0,
                        "seek": 0,
                        "start": 0.0,
                        "end": duration,
                        "text": text,
                        "tokens": [1],
                        "temperature": 0.0,
                        "avg_logprob": -0.2,
                        "compression_ratio": 1.0,
                        "no_speech_prob": 0.0,
                    }
                ],
            }
        else:
            body = {"text": text}
        return Reply(body=json.dumps(body).encode())

    def _speech(self, body: dict[str, Any]) -> Reply:
        if not body.get("input") or not body.get("model") or not body.get("voice"):
            return _error(400, "model, input and voice are required", "invalid_request_error")
        fmt = body.get("response_format", "mp3")
        seconds = max(0.5, len(body["input"]) / 15.0)
        audio = silent_mp3(seconds) if fmt == "mp3" else b"RIFF" + bytes(40)
        ctype = "audio/mpeg" if fmt == "mp3" else "audio/wav"
        return Reply(body=audio, content_type=ctype)

    def _moderate(self, body: dict[str, Any]) -> Reply:
        inputs = body.get("input")
        if isinstance(inputs, str):
            inputs = [inputs]
        if not isinstance(inputs, list):
            return _error(400, "'input' is required", "invalid_request_error")
        results = []
        for text in inputs:
            flagged = {c: ("kill" in text.lower() and c == "violence") for c in MODERATION_CATEGORIES}
            results.append(
                {
                    "flagged": any(flagged.values()),
                    "categories": flagged,
                    "category_scores": {c: (0.9 if v else 0.01) for c, v in flagged.items()},
                    "category_applied_input_types": {c: ["text"] for c in MODERATION_CATEGORIES},
                }
            )
        return Reply(
            body=json.dumps(
                {
                    "id": "modr-fake",
                    "model": body.get("model") or "omni-moderation-latest",
                    "results": results,
                }
            ).encode()
        )

    def _rerank(self, body: dict[str, Any]) -> Reply:
        query, documents = body.get("query"), body.get("documents")
        if not isinstance(query, str) or not isinstance(documents, list):
            return _error(400, "query and documents are required", "invalid_request_error")
        qwords = set(query.lower().split())
        results = [
            {"index": i, "relevance_score": len(qwords & set(d.lower().split())) / (len(qwords) or 1)}
            for i, d in enumerate(documents)
        ]
        results.sort(key=lambda r: r["relevance_score"], reverse=True)
        if body.get("top_n"):
            results = results[: body["top_n"]]
        tokens = words(query) + sum(words(d) for d in documents)
        return Reply(
            body=json.dumps(
                {
                    "id": "rerank-fake",
                    "model": body.get("model"),
                    "results": results,
                    "usage": {"total_tokens": tokens},
                }
            ).encode()
        )
