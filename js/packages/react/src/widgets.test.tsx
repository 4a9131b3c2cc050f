// @vitest-environment jsdom
import { AIWorkersClient } from "@ai-workers/client";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { AIChat, AIModelSelector, AISafetyIndicator, AIUsageMonitor, AIWorkersProvider } from "./index.js";

afterEach(cleanup);

type Handler = (url: string, body: Record<string, unknown> | undefined, init: RequestInit) => Response | Promise<Response>;

const enc = new TextEncoder();
const sse = (parts: string[], headers: Record<string, string> = {}) =>
  new Response(
    new ReadableStream({
      start(c) {
        for (const p of parts) c.enqueue(enc.encode(`data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", model: "m", choices: [{ index: 0, delta: { content: p }, finish_reason: null }] })}\n\n`));
        c.enqueue(enc.encode("data: [DONE]\n\n"));
        c.close();
      },
    }),
    { headers: { "content-type": "text/event-stream", "x-request-id": "req-1", ...headers } },
  );
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

function setup(handler: Handler) {
  const calls: { url: string; body: Record<string, unknown> | undefined }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const body = init.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined;
    calls.push({ url, body });
    return handler(url, body, init);
  }) as unknown as typeof globalThis.fetch;
  const client = new AIWorkersClient({ baseUrl: "https://gw", token: "aiwt_test", fetch });
  return { client, calls };
}

async function ask(text: string) {
  fireEvent.change(screen.getByLabelText("Message"), { target: { value: text } });
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: "Send" }));
  });
}

describe("AIChat", () => {
  it("streams an answer, renders safe markdown and sends feedback", async () => {
    const { client, calls } = setup((url) =>
      url.endsWith("/v1/feedback") ? json({}) : sse(["**Hello** <img src=x onerror=alert(1)>", " and `code`"]),
    );
    const { container } = render(
      <AIWorkersProvider client={client}>
        <AIChat title="Helper" />
      </AIWorkersProvider>,
    );
    await ask("hi there");
    await screen.findByText("Hello");
    expect(screen.getByText("Hello").tagName).toBe("STRONG");
    expect(container.querySelector("img")).toBeNull(); // the HTML stays text
    expect(container.textContent).toContain("<img src=x onerror=alert(1)>");
    expect(screen.getByText("code").tagName).toBe("CODE");
    expect(calls[0]!.body).toMatchObject({ model: "auto", stream: true, messages: [{ role: "user", content: "hi there" }] });
    await act(async () => {
      fireEvent.click(await screen.findByRole("button", { name: "Good answer" }));
    });
    expect(calls[1]).toMatchObject({ url: "https://gw/v1/feedback", body: { request_id: "req-1", rating: "up" } });
    expect(screen.getByRole("button", { name: "Good answer" }).getAttribute("aria-pressed")).toBe("true");
  });

  it("explains a budget 429 and a PHI block, and retries", async () => {
    const replies = [
      json({ error: { message: "Budget", type: "rate_limit_error", code: "budget_exceeded" } }, 429),
      json({ error: { message: "PHI", type: "policy_violation", code: "blocked_by_policy" } }, 422),
      sse(["ok now"]),
    ];
    const { client } = setup(() => replies.shift()!);
    render(
      <AIWorkersProvider client={client}>
        <AIChat />
      </AIWorkersProvider>,
    );
    await ask("first");
    expect((await screen.findByRole("alert")).textContent).toMatch(/spending limit/);
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    });
    expect((await screen.findByRole("alert")).textContent).toMatch(/protected health information/);
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    });
    await screen.findByText("ok now");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("stops a stream", async () => {
    const { client } = setup((_url, _body, init) => {
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(enc.encode(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "partial" }, finish_reason: null }] })}\n\n`));
          init.signal?.addEventListener("abort", () => c.error(new DOMException("aborted", "AbortError")));
        },
      });
      return new Response(stream, { headers: { "content-type": "text/event-stream" } });
    });
    render(
      <AIWorkersProvider client={client}>
        <AIChat />
      </AIWorkersProvider>,
    );
    await ask("long one");
    await screen.findByText("partial");
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Stop" }));
    });
    await screen.findByText("Stopped.");
    expect(screen.getByRole("button", { name: "Retry" })).toBeTruthy();
  });

  it("answers from a RAG collection with citations", async () => {
    const { client, calls } = setup(() =>
      json({ answer: "Take it with food [1].", found: true, citations: [{ n: 1, source: "leaflet.pdf", title: "Leaflet", heading: "Dosage", page: 3, document_id: "d1" }] }),
    );
    render(
      <AIWorkersProvider client={client}>
        <AIChat collection="meds" />
      </AIWorkersProvider>,
    );
    await ask("how do I take it?");
    const sources = await screen.findByRole("list", { name: "Sources" });
    expect(sources.textContent).toBe("Leaflet — Dosage, p. 3");
    expect(screen.getByRole("link", { name: "Source 1" }).getAttribute("href")).toMatch(/^#aiw-.*-1$/);
    expect(calls[0]).toMatchObject({ url: "https://gw/api/rag/query", body: { question: "how do I take it?", collection: "meds" } });
  });
});

describe("AISafetyIndicator", () => {
  it("shows the PHI types of the last answer, never values", async () => {
    const { client } = setup(() => sse(["Hi [NAME]"], { "x-ai-workers-phi-types": "NAME,SSN", "x-ai-workers-phi-redactions": "2" }));
    render(
      <AIWorkersProvider client={client}>
        <AISafetyIndicator />
        <AIChat />
      </AIWorkersProvider>,
    );
    expect(screen.getByRole("status").textContent).toMatch(/No messages checked yet/);
    await ask("I am John Smith, SSN 123-45-6789");
    await waitFor(() => expect(screen.getByRole("status").textContent).toMatch(/2 identifiers hidden/));
    const status = screen.getByRole("status").textContent ?? "";
    expect(status).toMatch(/name, Social Security number/);
    expect(status).not.toMatch(/John|123-45/);
  });

  it("shows content flags", () => {
    const { client } = setup(() => json({}));
    render(
      <AIWorkersProvider client={client}>
        <AISafetyIndicator info={{ safety: "flagged", safety_categories: ["self_harm"] }} />
      </AIWorkersProvider>,
    );
    expect(screen.getByRole("status").textContent).toMatch(/flagged: self_harm/);
  });
});

describe("AIModelSelector", () => {
  it("lists the token's chat models plus auto, and the chat uses the choice", async () => {
    const { client, calls } = setup((url) =>
      url.endsWith("/v1/models")
        ? json({ data: [{ id: "gpt-4o-mini", capability: "chat" }, { id: "bge-m3", capability: "embeddings" }, { id: "gpt-4o", capability: "chat" }] })
        : sse(["fine"]),
    );
    render(
      <AIWorkersProvider client={client}>
        <AIModelSelector />
        <AIChat />
      </AIWorkersProvider>,
    );
    const select = screen.getByLabelText("Model") as HTMLSelectElement;
    await waitFor(() => expect(select.options.length).toBe(3));
    expect([...select.options].map((o) => o.value)).toEqual(["auto", "gpt-4o-mini", "gpt-4o"]);
    fireEvent.change(select, { target: { value: "gpt-4o" } });
    await ask("hello");
    await screen.findByText("fine");
    expect(calls.find((c) => c.url.endsWith("/chat/completions"))!.body).toMatchObject({ model: "gpt-4o" });
  });
});

describe("AIUsageMonitor", () => {
  it("shows the session's spend against its cap and the user's budgets", async () => {
    const { client } = setup(() =>
      json({
        user: "u1", app: "web", spent_usd: 0.5, max_spend_usd: 1, models: null, expires_at: 0, expires_in_s: 60, id: "t",
        budgets: [{ app: "web", budget: "b", scope: "user", user: "u1", period: "daily", limit_usd: 2, spent_usd: 1.9, percent: 95 }],
      }),
    );
    render(
      <AIWorkersProvider client={client}>
        <AIUsageMonitor />
      </AIWorkersProvider>,
    );
    const session = await screen.findByRole("progressbar", { name: "This session" });
    expect(session.getAttribute("aria-valuenow")).toBe("50");
    expect(screen.getByRole("progressbar", { name: "Your daily budget" }).getAttribute("aria-valuenow")).toBe("95");
    expect(screen.getByText("$0.50 of $1.00")).toBeTruthy();
  });
});
