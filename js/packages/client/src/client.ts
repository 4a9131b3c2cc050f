import { AIWorkersError, errorFromResponse } from "./errors.js";
import { sseData } from "./sse.js";
import type {
  ChatChunk,
  ChatDelta,
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  ErrorBody,
  GatewayInfo,
  Model,
  RagAnswer,
  RagQueryRequest,
  Rating,
  TokenInfo,
} from "./types.js";

export interface ClientOptions {
  /** The gateway's base URL, e.g. "https://ai.example.org" (no trailing /v1). */
  baseUrl: string;
  /**
   * A browser token (`aiwt_...`) minted by your backend with POST /v1/tokens, or a function returning
   * one. The function's token is kept until the gateway answers 401 (expired or revoked); then it is
   * called once more for a fresh one and the request is retried. Never an app key.
   */
  token: string | (() => string | Promise<string>);
  fetch?: typeof fetch;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/** The `x-ai-workers-*` headers as a GatewayInfo (a stream's report arrives in its headers). */
export function infoFromHeaders(headers: Headers): GatewayInfo {
  const info: GatewayInfo = {};
  const text = (name: string) => headers.get(`x-ai-workers-${name}`) ?? undefined;
  const num = (name: string) => {
    const v = text(name);
    return v === undefined ? undefined : Number(v);
  };
  const list = (name: string) => text(name)?.split(",").filter(Boolean);
  const set = <K extends keyof GatewayInfo>(key: K, value: GatewayInfo[K] | undefined) => {
    if (value !== undefined) info[key] = value;
  };
  set("provider", text("provider"));
  set("provider_model", text("model"));
  set("cost_usd", num("cost-usd"));
  set("cache", text("cache"));
  set("cache_similarity", num("cache-similarity"));
  set("tier", text("tier"));
  set("attempts", num("attempts"));
  set("safety", text("safety"));
  set("safety_categories", list("safety-categories"));
  set("phi_types", list("phi-types"));
  set("phi_redactions", num("phi-redactions"));
  set("request_id", headers.get("x-request-id") ?? undefined);
  return info;
}

/** A streamed chat answer: iterate it for deltas; `info` has the gateway's report. */
export class ChatStream implements AsyncIterable<ChatDelta> {
  readonly info: GatewayInfo;
  readonly requestId: string | undefined;
  private readonly response: Response;
  private readonly controller: AbortController;
  private used = false;

  constructor(response: Response, controller: AbortController) {
    this.response = response;
    this.controller = controller;
    this.info = infoFromHeaders(response.headers);
    this.requestId = this.info.request_id;
  }

  /** Stop the answer (closes the connection; the gateway stops the upstream call). */
  abort(): void {
    this.controller.abort();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ChatDelta> {
    if (this.used) throw new Error("a ChatStream can be iterated once");
    this.used = true;
    if (!this.response.body) return;
    for await (const data of sseData(this.response.body)) {
      if (data === "[DONE]") return;
      const parsed = JSON.parse(data) as ChatChunk | { error: ErrorBody };
      if ("error" in parsed) throw new AIWorkersError(200, parsed.error);
      if (parsed.x_ai_workers) Object.assign(this.info, parsed.x_ai_workers);
      const choice = parsed.choices[0];
      yield { content: choice?.delta.content ?? "", finishReason: choice?.finish_reason ?? null, chunk: parsed };
    }
  }

  /** The whole answer's text. */
  async text(): Promise<string> {
    let out = "";
    for await (const delta of this) out += delta.content;
    return out;
  }
}

export class AIWorkersClient {
  private readonly baseUrl: string;
  private readonly tokenSource: ClientOptions["token"];
  private readonly fetcher: typeof fetch;
  private cachedToken: Promise<string> | null = null;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.tokenSource = options.token;
    this.fetcher = options.fetch ?? ((...args) => globalThis.fetch(...args));
  }

  private token(fresh = false): Promise<string> {
    const source = this.tokenSource;
    if (typeof source === "string") return Promise.resolve(source);
    if (!this.cachedToken || fresh) {
      const pending = Promise.resolve().then(source);
      pending.catch(() => {
        if (this.cachedToken === pending) this.cachedToken = null; // a failed fetch is not kept
      });
      this.cachedToken = pending;
    }
    return this.cachedToken;
  }

  /** One HTTP call; a 401 with a token function is retried once with a fresh token. */
  async request(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Response> {
    const send = async (fresh = false) => {
      const headers: Record<string, string> = { authorization: `Bearer ${await this.token(fresh)}` };
      if (body !== undefined) headers["content-type"] = "application/json";
      return this.fetcher(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: options.signal,
      });
    };
    let response = await send();
    if (response.status === 401 && typeof this.tokenSource === "function") response = await send(true);
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  private async json<T>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    const response = await this.request(method, path, body, options);
    return (await response.json()) as T;
  }

  /** A whole chat answer at once. */
  chat(request: ChatRequest, options?: RequestOptions): Promise<ChatResponse> {
    return this.json("POST", "/v1/chat/completions", { ...request, stream: false }, options);
  }

  /** A streamed chat answer: `for await (const delta of await client.chatStream(...))`. */
  async chatStream(request: ChatRequest, options: RequestOptions = {}): Promise<ChatStream> {
    const controller = new AbortController();
    if (options.signal) {
      if (options.signal.aborted) controller.abort();
      options.signal.addEventListener("abort", () => controller.abort(), { once: true });
    }
    const response = await this.request(
      "POST",
      "/v1/chat/completions",
      { ...request, stream: true },
      { signal: controller.signal },
    );
    return new ChatStream(response, controller);
  }

  embeddings(request: EmbeddingRequest, options?: RequestOptions): Promise<EmbeddingResponse> {
    return this.json("POST", "/v1/embeddings", request, options);
  }

  /** Ask a RAG collection; the answer cites its sources (`citations`). */
  ragQuery(request: RagQueryRequest, options?: RequestOptions): Promise<RagAnswer> {
    return this.json("POST", "/api/rag/query", request, options);
  }

  /** The models this token may use. */
  async models(options?: RequestOptions): Promise<Model[]> {
    const list = await this.json<{ data: Model[] }>("GET", "/v1/models", undefined, options);
    return list.data;
  }

  /** The token's user, spend and cap, expiry, and the app budgets that apply to the user. */
  tokenInfo(options?: RequestOptions): Promise<TokenInfo> {
    return this.json("GET", "/v1/tokens/current", undefined, options);
  }

  /** Thumbs up or down on an answer (its request id: `info.request_id` / `ChatStream.requestId`). */
  async feedback(requestId: string, rating: Rating, comment?: string, options?: RequestOptions): Promise<void> {
    const body: Record<string, string> = { request_id: requestId, rating };
    if (comment) body.comment = comment;
    await this.request("POST", "/v1/feedback", body, options);
  }
}
