import { describe, expect, it, vi } from "vitest";
import { AIWorkersClient, AIWorkersError, sseData } from "./index.js";

function streamOf(parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

function chunk(content: string, finish: string | null = null): string {
  return JSON.stringify({
    id: "c1",
    object: "chat.completion.chunk",
    model: "gpt-4o-mini",
    choices: [{ index: 0, delta: { content }, finish_reason: finish }],
  });
}

function fakeFetch(responses: Response[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fn = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = responses.shift();
    if (!next) throw new Error("no more responses");
    return next;
  });
  return { fetch: fn as unknown as typeof fetch, calls };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("sseData", () => {
  it("splits events across chunk boundaries and line endings", async () => {
    const out: string[] = [];
    for await (const d of sseData(streamOf(["data: a", "bc\n\n", "data: x\r\ndata: y\r\n\r\n: comment\n\ndata: [DO", "NE]\n\n"])))
      out.push(d);
    expect(out).toEqual(["abc", "x\ny", "[DONE]"]);
  });

  it("yields a last event without a trailing blank line", async () => {
    const out: string[] = [];
    for await (const d of sseData(streamOf(["data: tail"]))) out.push(d);
    expect(out).toEqual(["tail"]);
  });
});

describe("AIWorkersClient", () => {
  it("streams chat deltas and reads the gateway report from headers", async () => {
    const body = streamOf([`data: ${chunk("Hel")}\n\n`, `data: ${chunk("lo", "stop")}\n\ndata: [DONE]\n\n`]);
    const { fetch, calls } = fakeFetch([
      new Response(body, {
        headers: {
          "content-type": "text/event-stream",
          "x-request-id": "req1",
          "x-ai-workers-provider": "openai",
          "x-ai-workers-phi-types": "NAME,SSN",
          "x-ai-workers-phi-redactions": "2",
          "x-ai-workers-cost-usd": "0.00000150",
        },
      }),
    ]);
    const client = new AIWorkersClient({ baseUrl: "https://gw.example/", token: "aiwt_t", fetch });
    const stream = await client.chatStream({ model: "auto", messages: [{ role: "user", content: "hi" }] });
    const deltas: string[] = [];
    for await (const d of stream) deltas.push(d.content);
    expect(deltas).toEqual(["Hel", "lo"]);
    expect(stream.requestId).toBe("req1");
    expect(stream.info).toMatchObject({ provider: "openai", phi_types: ["NAME", "SSN"], phi_redactions: 2, cost_usd: 0.0000015 });
    expect(calls[0]!.url).toBe("https://gw.example/v1/chat/completions");
    const sent = JSON.parse(String(calls[0]!.init.body));
    expect(sent).toMatchObject({ model: "auto", stream: true });
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe("Bearer aiwt_t");
  });

  it("throws an error event in the middle of a stream", async () => {
    const body = streamOf([`data: ${chunk("a")}\n\n`, `data: {"error":{"message":"upstream died","type":"api_error"}}\n\n`]);
    const { fetch } = fakeFetch([new Response(body)]);
    const client = new AIWorkersClient({ baseUrl: "https://gw", token: "t", fetch });
    const stream = await client.chatStream({ model: "m", messages: [] });
    await expect(stream.text()).rejects.toThrow("upstream died");
  });

  it("types budget 429s and PHI blocks", async () => {
    const { fetch } = fakeFetch([
      json({ error: { message: "cap used up", type: "rate_limit_error", code: "budget_exceeded" } }, 429, { "retry-after": "30" }),
      json({ error: { message: "PHI blocked", type: "policy_violation", code: "blocked_by_policy" } }, 422),
    ]);
    const client = new AIWorkersClient({ baseUrl: "https://gw", token: "t", fetch });
    const budget = await client.chat({ model: "m", messages: [] }).catch((e: unknown) => e);
    expect(budget).toBeInstanceOf(AIWorkersError);
    expect((budget as AIWorkersError).isBudgetExceeded).toBe(true);
    expect((budget as AIWorkersError).retryAfter).toBe(30);
    const phi = await client.chatStream({ model: "m", messages: [] }).catch((e: unknown) => e);
    expect((phi as AIWorkersError).isPolicyBlocked).toBe(true);
    expect((phi as AIWorkersError).isBudgetExceeded).toBe(false);
  });

  it("refreshes the token once after a 401", async () => {
    const { fetch, calls } = fakeFetch([json({ error: { message: "expired" } }, 401), json({ data: [{ id: "gpt-4o-mini" }] })]);
    let n = 0;
    const client = new AIWorkersClient({ baseUrl: "https://gw", token: () => `aiwt_${++n}`, fetch });
    const models = await client.models();
    expect(models.map((m) => m.id)).toEqual(["gpt-4o-mini"]);
    expect((calls[1]!.init.headers as Record<string, string>).authorization).toBe("Bearer aiwt_2");
    expect(n).toBe(2);
  });

  it("keeps a fetched token until a 401", async () => {
    const { fetch, calls } = fakeFetch([json({ data: [] }), json({ data: [] })]);
    let n = 0;
    const client = new AIWorkersClient({ baseUrl: "https://gw", token: async () => `aiwt_${++n}`, fetch });
    await Promise.all([client.models(), client.models()]);
    expect(n).toBe(1);
    expect(calls.map((c) => (c.init.headers as Record<string, string>).authorization)).toEqual(["Bearer aiwt_1", "Bearer aiwt_1"]);
  });

  it("calls embeddings, RAG, token info and feedback", async () => {
    const { fetch, calls } = fakeFetch([
      json({ object: "list", model: "bge-m3", data: [{ object: "embedding", index: 0, embedding: [0.1] }], usage: {} }),
      json({ answer: "Yes [1]", found: true, citations: [{ n: 1, source: "a.pdf", title: "A", heading: "", page: 2, document_id: "d" }] }),
      json({ user: "u1", spent_usd: 0.01, max_spend_usd: 1, budgets: [] }),
      new Response(null, { status: 200 }),
    ]);
    const client = new AIWorkersClient({ baseUrl: "https://gw", token: "t", fetch });
    expect((await client.embeddings({ model: "bge-m3", input: "x" })).data[0]!.embedding).toEqual([0.1]);
    const rag = await client.ragQuery({ question: "q", collection: "c" });
    expect(rag.citations[0]!.page).toBe(2);
    expect((await client.tokenInfo()).user).toBe("u1");
    await client.feedback("req1", "up");
    expect(calls.map((c) => c.url)).toEqual([
      "https://gw/v1/embeddings",
      "https://gw/api/rag/query",
      "https://gw/v1/tokens/current",
      "https://gw/v1/feedback",
    ]);
    expect(JSON.parse(String(calls[3]!.init.body))).toEqual({ request_id: "req1", rating: "up" });
  });

  it("aborts a stream", async () => {
    let aborted = false;
    const fetch = (async (_url: string, init: RequestInit) => {
      init.signal?.addEventListener("abort", () => (aborted = true));
      return new Response(streamOf([`data: ${chunk("a")}\n\n`]));
    }) as unknown as typeof globalThis.fetch;
    const client = new AIWorkersClient({ baseUrl: "https://gw", token: "t", fetch });
    const stream = await client.chatStream({ model: "m", messages: [] });
    stream.abort();
    expect(aborted).toBe(true);
  });
});
