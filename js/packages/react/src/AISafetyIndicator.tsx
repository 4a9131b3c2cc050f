import type { GatewayInfo } from "@ai-workers/client";
import { useAIWorkers } from "./context.js";

export interface AISafetyIndicatorProps {
  /** The report to show; defaults to the last answer's in this provider. */
  info?: GatewayInfo | null;
  className?: string;
}

const LABELS: Record<string, string> = {
  NAME: "name",
  SSN: "Social Security number",
  PHONE: "phone number",
  EMAIL: "email address",
  DATE: "date",
  DOB: "date of birth",
  ADDRESS: "address",
  MRN: "medical record number",
};

const label = (type: string) => LABELS[type.toUpperCase()] ?? type.toLowerCase().replace(/_/g, " ");

/**
 * What the gateway did to protect the last message: the kinds of PHI it redacted before the model saw
 * it and any content-safety flags. It only ever shows types and counts, never the values.
 */
export function AISafetyIndicator({ info, className }: AISafetyIndicatorProps) {
  const { lastInfo } = useAIWorkers();
  const report = info === undefined ? lastInfo : info;
  const types = report?.phi_types ?? [];
  const flags = report?.safety_categories ?? [];
  const flagged = report?.safety === "flagged" || report?.safety === "blocked" || flags.length > 0;
  const state = !report ? "idle" : types.length ? "redacted" : flagged ? "flagged" : "clear";
  return (
    <div className={`aiw aiw-safety aiw-safety-${state} ${className ?? ""}`} role="status" aria-live="polite">
      {state === "idle" && <span>No messages checked yet.</span>}
      {state === "clear" && <span>✓ No personal health information detected in the last message.</span>}
      {types.length > 0 && (
        <span>
          {report?.phi_redactions ?? types.length} identifier{(report?.phi_redactions ?? types.length) === 1 ? "" : "s"}{" "}
          hidden from the AI model: {types.map(label).join(", ")}.
        </span>
      )}
      {flagged && (
        <span className="aiw-flags">
          ⚠ Content flagged{flags.length ? `: ${flags.join(", ")}` : ""}.
        </span>
      )}
    </div>
  );
}
