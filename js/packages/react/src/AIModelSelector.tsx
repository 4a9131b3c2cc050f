import type { Model } from "@ai-workers/client";
import { useEffect, useId, useState } from "react";
import { useAIWorkers } from "./context.js";
import { describeError } from "./messages.js";

export interface AIModelSelectorProps {
  label?: string;
  /** Which models to list (GET /v1/models' capability); "chat" by default. */
  capability?: string;
  /** Offer "auto" (the gateway picks a model by the request's complexity). */
  includeAuto?: boolean;
  className?: string;
}

/** The models this token may use, plus "auto"; the choice is what <AIChat> uses. */
export function AIModelSelector({ label = "Model", capability = "chat", includeAuto = true, className }: AIModelSelectorProps) {
  const { client, model, setModel } = useAIWorkers();
  const [models, setModels] = useState<Model[]>([]);
  const [error, setError] = useState<string | null>(null);
  const id = `aiw-model-${useId().replace(/:/g, "")}`;

  useEffect(() => {
    const controller = new AbortController();
    client
      .models({ signal: controller.signal })
      .then((all) => setModels(all.filter((m) => !capability || m.capability === capability)))
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(describeError(e));
      });
    return () => controller.abort();
  }, [client, capability]);

  const options = [...(includeAuto ? ["auto"] : []), ...models.map((m) => m.id)];
  if (!options.includes(model)) options.unshift(model);
  return (
    <div className={`aiw aiw-model ${className ?? ""}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={model} onChange={(e) => setModel(e.target.value)}>
        {options.map((name) => (
          <option key={name} value={name}>
            {name === "auto" ? "Auto (best for the question)" : name}
          </option>
        ))}
      </select>
      {error && <p className="aiw-error">{error}</p>}
    </div>
  );
}
