"""A fake Cloudflare Workers AI REST API: ``POST /client/v4/accounts/{account}/ai/run/{model}``.

Faithful to the documented formats: the ``{"result", "success", "errors", "messages"}`` envelope, error
envelopes with Workers AI codes (3036 daily free allocation used, 3040 out of capacity, 5007 no such
model, 10000 authentication), streaming SSE ``data: {"response": ..., "p": ...}`` lines ending with
``data: [DONE]`` (the last event carrying ``usage``), and each seed model's own input/output schema.
Inputs are validated like the real API (code 5006, HTTP 400) so a wrong request body fails the test.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
from typing import Any

from ai_workers.providers.audio import silent_mp3
from tests.fakes.server import FakeUpstream, Fault, RecordedRequest, Reply, text_vector, words

CHAT_MODELS = {
    "@cf/meta/llama-4-scout-17b-16e-instruct",
    "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
    "@cf/qwen/qwq-32b",
    "@cf/meta/llama-3.2-11b-vision-instruct",
    "@cf/meta/llama-3.1-8b-instruct-fp8-fast",
    # Models apps call by id (catalog entries with auto_routing: false)
    "@cf/meta/llama-3.1-8b-instruct",
    "@cf/meta/llama-3.1-8b-instruct-fp8",
    "@cf/meta/llama-3.1-8b-instruct-awq",
    "@cf/meta/llama-3.2-1b-instruct",
    "@cf/meta/llama-3.2-3b-instruct",
    "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b",
    "@cf/mistralai/mistral-small-3.1-24b-instruct",
    "@cf/google/gemma-3-12b-it",
    "@cf/openai/gpt-oss-120b",
    "@cf/openai/gpt-oss-20b",
}
# The BGE English models: vector size by model.
BGE_EN = {
    "@cf/baai/bge-small-en-v1.5": 384,
    "@cf/baai/bge-base-en-v1.5": 768,
    "@cf/baai/bge-large-en-v1.5": 1024,
}
WHISPER_V1 = "@cf/openai/whisper"  # the older Whisper: audio as an array of bytes, no transcription_info
GUARD = "@cf/meta/llama-guard-3-8b"
WHISPER = "@cf/openai/whisper-large-v3-turbo"
MELOTTS = "@cf/myshell-ai/melotts"
BGE_M3 = "@cf/baai/bge-m3"
RERANKER = "@cf/baai/bge-reranker-base"

# Words that make the fake Llama Guard answer "unsafe" with these categories.
GUARD_TRIGGERS = {"murder": "S1", "steal": "S2", "nerve-agent": "S9", "slur": "S10", "self-harm": "S11"}

# Models Workers AI serves through its asynchronous batch API (``?queueRequest=true``).
QUEUE_MODELS = {
    "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
    "@cf/baai/bge-m3",
    *BGE_EN,
    "@cf/meta/m2m100-1.2b",
}

_RUN = re.compile(r"^/client/v4/accounts/(?P<account>[^/]+)/ai/run/(?P<model>.+)$")


def _envelope(result: Any) -> bytes:
    return json.dumps({"result": result, "success": True, "errors": [], "messages": []}).encode()


def _error(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    body = {"result": None, "success": False, "errors": [{"code": code, "message": message}], "messages": []}
    return Reply(status=status, body=json.dumps(body).encode(), headers=headers or {})


def _texts(item: dict[str, Any]) -> list[str]:
    """An embedding input's texts (a string or a list of strings)."""
    texts = item.get("text")
    return [texts] if isinstance(texts, str) else [t for t in texts or [] if isinstance(t, str)]


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


class FakeWorkersAI(FakeUpstream):
    base_path = "/client/v4"

    def __init__(self, *, account_id: str, api_token: str) -> None:
        super().__init__()
        self.account_id = account_id
        self.api_token = api_token
        self.reply_text: str | None = None  # fixed chat answer; default: "Echo: <last user message>"
        self.guard_format = "text"  # "text" ("unsafe\nS1") or "object" ({"safe": false, "categories": [...]})
        self.vectors_dim = 1024
        self.tts_binary = False  # MeloTTS may answer with the MP3 itself (audio/mpeg) instead of JSON
        # Asynchronous batches: queued requests by request_id; each poll walks ``queue_steps`` before
        # the answer, and answers "running" while ``queue_hold`` is set.
        self.queue_jobs: dict[str, dict[str, Any]] = {}
        self.queue_steps: tuple[str, ...] = ("queued", "running")
        self.queue_hold = False
        # An input whose text holds this marker makes Workers AI refuse the whole queued request (400).
        self.queue_invalid: str | None = None
        self._queue_faults: list[list[Any]] = []  # [phase, kind, times, retry_after]

    def inject_queue(self, phase: str, kind: str, times: int = 1, *, retry_after: str | None = "1") -> None:
        """Fail the next ``times`` queued-API calls of ``phase`` ("submit" or "poll") with ``kind``:
        "429" (with ``Retry-After``), "503", or "malformed" (200 with broken JSON)."""
        with self._lock:
            self._queue_faults.append([phase, kind, times, retry_after])

    def clear(self) -> None:
        super().clear()
        with self._lock:
            self._queue_faults.clear()
            self.queue_jobs.clear()
        self.queue_hold = False
        self.queue_invalid = None
        self.queue_steps = ("queued", "running")

    def queue_calls(self, phase: str) -> list[RecordedRequest]:
        """The queued-API requests received: "submit" (``{"requests"}``) or "poll" (``{"request_id"}``)."""
        key = "requests" if phase == "submit" else "request_id"
        return [
            r
            for r in self.requests
            if "queueRequest=true" in r.query and r.body.startswith(b"{") and key in json.loads(r.body)
        ]

    def error_reply(self, status: int, fault: Fault) -> Reply:
        if fault.kind == "3036":
            return _error(
                429, 3036, "Account limited: you have used up your daily free allocation of 10,000 neurons"
            )
        if fault.kind == "3040":
            return _error(429, 3040, "Capacity temporarily exceeded, please try again.")
        headers = {"Retry-After": fault.retry_after} if status == 429 and fault.retry_after else {}
        return _error(status, 3043 if status >= 500 else 3003, f"fake upstream fault {fault.kind}", headers)

    async def respond(self, request: RecordedRequest) -> Reply:
        match = _RUN.match(request.path)
        if request.method != "POST" or match is None:
            return _error(400, 7000, "No route for that URI")
        if request.headers.get("authorization") != f"Bearer {self.api_token}":
            return _error(401, 10000, "Authentication error")
        if match["account"] != self.account_id:
            return _error(
                400,
                7003,
                "Could not route to /accounts/.../ai/run, perhaps your object identifier is invalid?",
            )
        model = match["model"]
        try:
            body = request.json()
        except ValueError:
            return _error(400, 5006, "Invalid JSON")
        if "queueRequest=true" in request.query:
            return self._queued(model, body)
        if model in CHAT_MODELS:
            return self._chat(model, body)
        if model in BGE_EN:
            return self._embed(body, dims=BGE_EN[model])
        if model == WHISPER_V1:
            return self._whisper_v1(body)
        handler = {
            GUARD: self._guard,
            WHISPER: self._whisper,
            MELOTTS: self._tts,
            BGE_M3: self._embed,
            RERANKER: self._rerank,
        }.get(model)
        if handler is None:
            return _error(400, 5007, f"No such model {model} or task")
        return handler(body)

    # -- asynchronous batches -------------------------------------------------------------------------

    def _queue_fault(self, phase: str) -> Reply | None:
        with self._lock:
            for fault in self._queue_faults:
                if fault[0] == phase:
                    fault[2] -= 1
                    if fault[2] <= 0:
                        self._queue_faults.remove(fault)
                    kind, retry_after = fault[1], fault[3]
                    break
            else:
                return None
        if kind == "malformed":
            return Reply(body=b'{"result": {"responses": [{"id": 0, "resu')
        if kind == "429":
            headers = {"Retry-After": retry_after} if retry_after else {}
            return _error(429, 3040, "Capacity temporarily exceeded, please try again.", headers)
        return _error(int(kind), 3043, f"fake upstream fault {kind}")

    def _queued(self, model: str, body: dict[str, Any]) -> Reply:
        """Workers AI's asynchronous batch API: ``{"requests": [...]}`` answers ``{"status": "queued",
        "request_id"}``; ``{"request_id"}`` answers queued/running, then ``responses`` (each with its
        ``id``, the input's position, and ``external_reference``) and the whole request's ``usage``."""
        if model not in QUEUE_MODELS:
            return _error(400, 5007, f"Model {model} does not support batch requests")
        if "request_id" in body:
            fault = self._queue_fault("poll")
            if fault is not None:
                return fault
            job = self.queue_jobs.get(str(body["request_id"]))
            if job is None or job["model"] != model:
                return _error(404, 7404, "request_id not found")
            job["polls"] += 1
            if self.queue_hold or job["polls"] <= len(self.queue_steps):
                step = min(job["polls"], len(self.queue_steps)) - 1
                status = self.queue_steps[step] if self.queue_steps and step >= 0 else "running"
                return Reply(body=_envelope({"status": status, "request_id": job["id"], "model": model}))
            return Reply(body=_envelope({"responses": job["responses"], "usage": job["usage"]}))
        requests = body.get("requests")
        if not isinstance(requests, list) or not requests:
            return _error(400, 5006, "Error: required properties at '/' are 'requests'")
        fault = self._queue_fault("submit")
        if fault is not None:
            return fault
        if self.queue_invalid and any(self.queue_invalid in json.dumps(item) for item in requests):
            return _error(400, 5006, "Error: an input of the batch does not match the model's schema")
        responses: list[dict[str, Any]] = []
        usage = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
        for i, item in enumerate(requests):
            item = dict(item)
            ref = item.pop("external_reference", None)
            if model in CHAT_MODELS:
                if item.get("stream"):
                    return _error(400, 5006, "Error: a queued request cannot stream")
                reply = self._chat(model, item)
            elif model in BGE_EN:
                reply = self._embed(item, dims=BGE_EN[model])
            elif model == BGE_M3:
                reply = self._embed(item)
            else:
                reply = _error(400, 5006, "fake: no queued handler for this model")
            answer = json.loads(reply.body)
            entry: dict[str, Any] = {"id": i, "external_reference": ref}
            if reply.status == 200:
                result = answer["result"]
                entry.update(result=result, success=True)
                counted = result.get("usage") or {"prompt_tokens": words(" ".join(_texts(item)))}
                usage["prompt_tokens"] += counted.get("prompt_tokens", 0)
                usage["completion_tokens"] += counted.get("completion_tokens", 0)
            else:
                entry.update(result=None, success=False, errors=answer["errors"])
            responses.append(entry)
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        request_id = f"fake-{len(self.queue_jobs) + 1:04d}-{abs(hash(json.dumps(requests))) % 10**8:08d}"
        self.queue_jobs[request_id] = {
            "id": request_id,
            "model": model,
            "responses": responses,
            "usage": usage,
            "polls": 0,
        }
        return Reply(body=_envelope({"status": "queued", "request_id": request_id, "model": model}))

    # -- models -------------------------------------------------------------------------------------

    def _chat(self, model: str, body: dict[str, Any]) -> Reply:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return _error(400, 5006, "Error: required properties at '/' are 'messages'")
        if not isinstance(body.get("max_tokens"), int):
            # Real models default to 256 and silently cut answers: the gateway must always send it.
            return _error(400, 5006, "fake: max_tokens must be sent explicitly")
        for m in messages:
            if m.get("role") not in ("system", "user", "assistant", "tool"):
                return _error(400, 5006, f"Error: invalid role {m.get('role')!r}")
            if isinstance(m.get("content"), list) and model != "@cf/meta/llama-4-scout-17b-16e-instruct":
                return _error(400, 5006, "Error: content must be a string for this model")
        for key in ("stop", "n"):  # not in the /ai/run input schemas: the gateway must not send them
            if key in body:
                return _error(400, 5006, f"Error: unknown property '{key}'")
        if model == "@cf/qwen/qwq-32b" and "response_format" in body:
            return _error(400, 5006, "Error: unknown property 'response_format' (qwq-32b takes guided_json)")
        if "image" in body:
            image = body["image"]
            if model != "@cf/meta/llama-3.2-11b-vision-instruct":
                return _error(400, 5006, "Error: unknown property 'image'")
            if not isinstance(image, list) or not all(isinstance(b, int) and 0 <= b <= 255 for b in image):
                return _error(400, 5006, "Error: 'image' must be an array of 8-bit unsigned integers")
        last = messages[-1]
        prompt_tokens = sum(words(_text(m.get("content"))) for m in messages)
        tools = body.get("tools")
        if tools and last.get("role") == "user":
            text = _text(last.get("content"))
            # One call to the first tool; a prompt saying "every tool" gets one call per tool.
            chosen = tools if "every tool" in text else tools[:1]
            calls = [{"name": t.get("function", t)["name"], "arguments": {"query": text}} for t in chosen]
            tool_usage = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": 5,
                "total_tokens": prompt_tokens + 5,
            }
            if body.get("stream"):
                # Workers AI streams each finished call in an event of its own.
                events = [json.dumps({"response": "", "tool_calls": [call]}) for call in calls]
                events.append(json.dumps({"response": "", "usage": tool_usage}))
                events.append("[DONE]")
                return Reply(events=events)
            result = {"response": None, "tool_calls": calls, "usage": tool_usage}
            return Reply(body=_envelope(result))
        answer = self.reply_text or f"Echo: {_text(last.get('content'))}"
        if "image" in body:
            answer += f" [image of {len(body['image'])} bytes]"
        if any(isinstance(m.get("content"), list) for m in messages):
            images = sum(
                1
                for m in messages
                if isinstance(m.get("content"), list)
                for p in m["content"]
                if p.get("type") == "image_url"
            )
            answer += f" [{images} image part(s)]"
        tokens = answer.split(" ")[: body["max_tokens"]]
        answer = " ".join(tokens)
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(tokens),
            "total_tokens": prompt_tokens + len(tokens),
        }
        if body.get("stream"):
            events = [
                json.dumps({"response": ("" if i == 0 else " ") + t, "p": "abcdefgh"})
                for i, t in enumerate(tokens)
            ]
            events.append(json.dumps({"response": "", "usage": usage}))
            events.append("[DONE]")
            return Reply(events=events)
        return Reply(body=_envelope({"response": answer, "tool_calls": [], "usage": usage}))

    def _guard(self, body: dict[str, Any]) -> Reply:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return _error(400, 5006, "Error: required properties at '/' are 'messages'")
        if any(m.get("role") not in ("user", "assistant") for m in messages):
            return _error(400, 5006, "Error: role must be user or assistant")
        if any(a.get("role") == b.get("role") for a, b in itertools.pairwise(messages)):
            return _error(400, 5006, "Error: roles must alternate between user and assistant")
        text = _text(messages[-1].get("content")).lower()
        categories = sorted(
            {code for word, code in GUARD_TRIGGERS.items() if word in text}, key=lambda c: int(c[1:])
        )
        prompt_tokens = sum(words(_text(m.get("content"))) for m in messages)
        if self.guard_format == "object":
            response: Any = {"safe": not categories, "categories": categories}
        else:
            response = "safe" if not categories else "unsafe\n" + ",".join(categories)
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": 2, "total_tokens": prompt_tokens + 2}
        return Reply(body=_envelope({"response": response, "usage": usage}))

    def _whisper(self, body: dict[str, Any]) -> Reply:
        audio = body.get("audio")
        if not isinstance(audio, str):
            return _error(400, 5006, "Error: 'audio' must be a base64 string")
        try:
            raw = base64.b64decode(audio, validate=True)
        except ValueError:
            return _error(400, 5006, "Error: 'audio' is not valid base64")
        duration = round(len(raw) / 16000, 3)  # as if 16 kHz 8-bit mono
        task = body.get("task", "transcribe")
        if task not in ("transcribe", "translate"):
            return _error(400, 5006, "Error: task must be 'transcribe' or 'translate'")
        text = "hello from the fake whisper" + (" in English" if task == "translate" else "")
        result = {
            "transcription_info": {
                "language": body.get("language", "en"),
                "language_probability": 0.99,
                "duration": duration,
                "duration_after_vad": duration,
            },
            "text": text,
            "word_count": len(text.split()),
            "segments": [
                {
                    "start": 0.0,
                    "end": duration,
                    "text": text,
                    "temperature": 0.0,
                    "avg_logprob": -0.1,
                    "compression_ratio": 1.0,
                    "no_speech_prob": 0.01,
                    "words": [{"word": w, "start": 0.0, "end": duration} for w in text.split()],
                }
            ],
            "vtt": f"WEBVTT\n\n00:00.000 --> 00:{duration:06.3f}\n{text}\n",
        }
        return Reply(body=_envelope(result))

    def _whisper_v1(self, body: dict[str, Any]) -> Reply:
        audio = body.get("audio")
        if not isinstance(audio, list) or not all(isinstance(b, int) and 0 <= b <= 255 for b in audio):
            return _error(400, 5006, "Error: 'audio' must be an array of 8-bit unsigned integers")
        duration = round(len(audio) / 16000, 3)  # as if 16 kHz 8-bit mono
        text = "hello from the older fake whisper"
        step = duration / len(text.split())
        spoken = [
            {"word": w, "start": round(i * step, 3), "end": round((i + 1) * step, 3)}
            for i, w in enumerate(text.split())
        ]
        return Reply(body=_envelope({"text": text, "word_count": len(spoken), "words": spoken, "vtt": ""}))

    def _tts(self, body: dict[str, Any]) -> Reply:
        prompt = body.get("prompt")
        if not isinstance(prompt, str) or not prompt:
            return _error(400, 5006, "Error: required properties at '/' are 'prompt'")
        seconds = max(0.5, len(prompt) / 15.0)  # ~15 characters per second of speech
        if self.tts_binary:
            return Reply(body=silent_mp3(seconds), content_type="audio/mpeg")
        return Reply(body=_envelope({"audio": base64.b64encode(silent_mp3(seconds)).decode()}))

    def _embed(self, body: dict[str, Any], dims: int | None = None) -> Reply:
        dims = dims or self.vectors_dim
        texts = body.get("text")
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or not texts or len(texts) > 100:
            return _error(400, 5006, "Error: 'text' must be a string or an array of 1..100 strings")
        data = [text_vector(t, dims) for t in texts]
        return Reply(body=_envelope({"shape": [len(texts), dims], "data": data, "pooling": "cls"}))

    def _rerank(self, body: dict[str, Any]) -> Reply:
        query, contexts = body.get("query"), body.get("contexts")
        if (
            not isinstance(query, str)
            or not isinstance(contexts, list)
            or not all("text" in c for c in contexts)
        ):
            return _error(400, 5006, "Error: required properties are 'query' and 'contexts' [{text}]")
        qwords = set(query.lower().split())
        scored = [
            {"id": i, "score": len(qwords & set(c["text"].lower().split())) / (len(qwords) or 1)}
            for i, c in enumerate(contexts)
        ]
        scored.sort(key=lambda r: r["score"], reverse=True)
        if isinstance(body.get("top_k"), int):
            scored = scored[: body["top_k"]]
        return Reply(body=_envelope({"response": scored}))
