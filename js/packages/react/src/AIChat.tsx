import type { ChatMessage, Citation, GatewayInfo, Rating } from "@ai-workers/client";
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useAIWorkers } from "./context.js";
import { Markdown } from "./markdown.js";

// Inline icons (no emoji font needed), hidden from screen readers: the buttons carry the labels.
function Thumb({ down }: { down?: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false" style={down ? { transform: "rotate(180deg)" } : undefined}>
      <path fill="currentColor" d="M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z" />
    </svg>
  );
}
import { describeError, errorKind } from "./messages.js";

interface Turn {
  id: number;
  role: "user" | "assistant";
  content: string;
  status: "streaming" | "done" | "stopped" | "error";
  error?: string;
  errorKind?: string;
  requestId?: string;
  citations?: Citation[];
  info?: GatewayInfo;
  feedback?: Rating;
}

export interface AIChatProps {
  /** The model; defaults to the one chosen in <AIModelSelector> (or "auto"). */
  model?: string;
  /** A system prompt sent before the conversation. */
  system?: string;
  /** Answer from this RAG collection (POST /api/rag/query), with citations, instead of plain chat. */
  collection?: string;
  title?: string;
  placeholder?: string;
  /** Show thumbs up/down under answers (POST /v1/feedback). */
  feedback?: boolean;
  className?: string;
}

let nextId = 1;

export function AIChat({
  model,
  system,
  collection,
  title = "Assistant",
  placeholder = "Type a message",
  feedback = true,
  className,
}: AIChatProps) {
  const { client, model: chosen, setLastInfo, answered } = useAIWorkers();
  const [turns, setTurns] = useState<Turn[]>([]);
  const [draft, setDraft] = useState("");
  const abort = useRef<AbortController | null>(null);
  const uid = useId().replace(/:/g, "");
  const inputId = `aiw-input-${uid}`;
  const busy = turns.some((t) => t.status === "streaming");

  useEffect(() => () => abort.current?.abort(), []);

  const update = (id: number, change: Partial<Turn>) =>
    setTurns((all) => all.map((t) => (t.id === id ? { ...t, ...change } : t)));

  const run = useCallback(
    async (history: Turn[]) => {
      const answer: Turn = { id: nextId++, role: "assistant", content: "", status: "streaming" };
      setTurns([...history, answer]);
      const controller = new AbortController();
      abort.current = controller;
      const question = history[history.length - 1]?.content ?? "";
      try {
        if (collection) {
          const result = await client.ragQuery({ question, collection }, { signal: controller.signal });
          update(answer.id, { content: result.answer, citations: result.citations, status: "done" });
        } else {
          const messages: ChatMessage[] = [
            ...(system ? [{ role: "system" as const, content: system }] : []),
            ...history.filter((t) => t.status !== "error").map((t) => ({ role: t.role, content: t.content })),
          ];
          const stream = await client.chatStream({ model: model ?? chosen, messages }, { signal: controller.signal });
          setLastInfo(stream.info);
          let text = "";
          for await (const delta of stream) {
            text += delta.content;
            update(answer.id, { content: text });
          }
          update(answer.id, { status: "done", requestId: stream.requestId, info: { ...stream.info } });
          setLastInfo({ ...stream.info });
        }
      } catch (error) {
        if (controller.signal.aborted) update(answer.id, { status: "stopped" });
        else update(answer.id, { status: "error", error: describeError(error), errorKind: errorKind(error) });
      } finally {
        if (abort.current === controller) abort.current = null;
        answered();
      }
    },
    [client, collection, system, model, chosen, setLastInfo, answered],
  );

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    const text = draft.trim();
    if (!text || busy) return;
    setDraft("");
    void run([...turns.filter((t) => t.status !== "error"), { id: nextId++, role: "user", content: text, status: "done" }]);
  };

  const retry = () => {
    const lastUser = turns.map((t) => t.role).lastIndexOf("user");
    if (lastUser >= 0) void run(turns.slice(0, lastUser + 1));
  };

  const onKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey) send(event);
  };

  const rate = async (turn: Turn, rating: Rating) => {
    if (!turn.requestId) return;
    update(turn.id, { feedback: rating });
    try {
      await client.feedback(turn.requestId, rating);
    } catch {
      update(turn.id, { feedback: undefined });
    }
  };

  const last = turns[turns.length - 1];
  return (
    <section className={`aiw aiw-chat ${className ?? ""}`} aria-label={title}>
      <h2 className="aiw-title">{title}</h2>
      <div className="aiw-log" role="log" aria-live="polite" aria-relevant="additions text">
        {turns.map((turn) => (
          <article key={turn.id} className={`aiw-msg aiw-${turn.role} aiw-${turn.status}`} aria-label={turn.role === "user" ? "You" : title}>
            {turn.role === "assistant" ? (
              <Markdown
                text={turn.content}
                citations={turn.citations?.map((c) => c.n)}
                citationPrefix={`aiw-${uid}-${turn.id}`}
              />
            ) : (
              <p>{turn.content}</p>
            )}
            {turn.status === "streaming" && !turn.content && <span className="aiw-typing">Thinking…</span>}
            {turn.status === "stopped" && <p className="aiw-note">Stopped.</p>}
            {turn.status === "error" && (
              <p className={`aiw-error aiw-error-${turn.errorKind}`} role="alert">
                {turn.error}
              </p>
            )}
            {turn.citations && turn.citations.length > 0 && (
              <ol className="aiw-citations" aria-label="Sources">
                {turn.citations.map((c) => (
                  <li key={c.n} id={`aiw-${uid}-${turn.id}-${c.n}`} value={c.n}>
                    {c.title || c.source}
                    {c.heading ? ` — ${c.heading}` : ""}
                    {c.page != null ? `, p. ${c.page}` : ""}
                  </li>
                ))}
              </ol>
            )}
            {feedback && turn.role === "assistant" && turn.status === "done" && turn.requestId && (
              <div className="aiw-feedback" role="group" aria-label="Rate this answer">
                <button type="button" aria-pressed={turn.feedback === "up"} aria-label="Good answer" onClick={() => void rate(turn, "up")}>
                  <Thumb />
                </button>
                <button type="button" aria-pressed={turn.feedback === "down"} aria-label="Bad answer" onClick={() => void rate(turn, "down")}>
                  <Thumb down />
                </button>
              </div>
            )}
          </article>
        ))}
      </div>
      <form className="aiw-form" onSubmit={send}>
        <label htmlFor={inputId} className="aiw-visually-hidden">
          Message
        </label>
        <textarea
          id={inputId}
          value={draft}
          rows={2}
          placeholder={placeholder}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKey}
        />
        {busy ? (
          <button type="button" className="aiw-stop" onClick={() => abort.current?.abort()}>
            Stop
          </button>
        ) : (
          <button type="submit" disabled={!draft.trim()}>
            Send
          </button>
        )}
        {!busy && last?.role === "assistant" && (last.status === "error" || last.status === "stopped") && (
          <button type="button" className="aiw-retry" onClick={retry}>
            Retry
          </button>
        )}
      </form>
    </section>
  );
}
