import type { TokenInfo } from "@ai-workers/client";
import { useEffect, useState } from "react";
import { useAIWorkers } from "./context.js";
import { describeError } from "./messages.js";

export interface AIUsageMonitorProps {
  title?: string;
  className?: string;
  /** Refresh every N seconds as well as after each answer (0: only after answers). */
  refreshSeconds?: number;
}

const usd = (n: number) => `$${n < 0.01 && n > 0 ? n.toFixed(6) : n.toFixed(2)}`;

function Meter({ label, spent, limit }: { label: string; spent: number; limit: number }) {
  const pct = limit > 0 ? Math.min(100, (spent / limit) * 100) : 100;
  return (
    <div className={`aiw-meter ${pct >= 100 ? "aiw-over" : pct >= 80 ? "aiw-near" : ""}`}>
      <div className="aiw-meter-label">
        <span>{label}</span>
        <span>
          {usd(spent)} of {usd(limit)}
        </span>
      </div>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} className="aiw-bar">
        <div className="aiw-bar-fill" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

/** The current user's spend against the token's cap and the app budgets that apply to them. */
export function AIUsageMonitor({ title = "Usage", className, refreshSeconds = 0 }: AIUsageMonitorProps) {
  const { client, answers } = useAIWorkers();
  const [info, setInfo] = useState<TokenInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const load = () =>
      client
        .tokenInfo({ signal: controller.signal })
        .then((data) => {
          setInfo(data);
          setError(null);
        })
        .catch((e: unknown) => {
          if (!controller.signal.aborted) setError(describeError(e));
        });
    void load();
    const timer = refreshSeconds > 0 ? setInterval(load, refreshSeconds * 1000) : undefined;
    return () => {
      controller.abort();
      if (timer) clearInterval(timer);
    };
  }, [client, answers, refreshSeconds]);

  return (
    <section className={`aiw aiw-usage ${className ?? ""}`} aria-label={title}>
      <h2 className="aiw-title">{title}</h2>
      {error && <p className="aiw-error">{error}</p>}
      {!info && !error && <p className="aiw-note">Loading…</p>}
      {info && (
        <>
          {info.max_spend_usd != null ? (
            <Meter label="This session" spent={info.spent_usd} limit={info.max_spend_usd} />
          ) : (
            <p className="aiw-note">This session: {usd(info.spent_usd)}</p>
          )}
          {info.budgets
            .filter((b) => b.limit_usd != null)
            .map((b) => (
              <Meter
                key={`${b.budget}-${b.user ?? ""}`}
                label={`${b.scope === "user" || b.user ? "Your" : "App"} ${b.period} budget`}
                spent={b.spent_usd}
                limit={b.limit_usd ?? 0}
              />
            ))}
        </>
      )}
    </section>
  );
}
