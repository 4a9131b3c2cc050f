import type { ErrorBody } from "./types.js";

/** An error answer from the gateway (its OpenAI-style `error` object), or a failed stream. */
export class AIWorkersError extends Error {
  readonly status: number;
  readonly type: string | undefined;
  readonly code: string | null | undefined;
  readonly retryAfter: number | undefined;
  readonly body: ErrorBody | undefined;

  constructor(status: number, body: ErrorBody | undefined, retryAfter?: number) {
    super(body?.message ?? `The gateway answered ${status}`);
    this.name = "AIWorkersError";
    this.status = status;
    this.body = body;
    this.type = body?.type;
    this.code = body?.code;
    this.retryAfter = retryAfter;
  }

  /** A 429 because a budget or the token's spend cap is used up. */
  get isBudgetExceeded(): boolean {
    return this.status === 429 && this.code === "budget_exceeded";
  }

  /** A 429 from a rate limit (retry after `retryAfter` seconds). */
  get isRateLimited(): boolean {
    return this.status === 429 && !this.isBudgetExceeded;
  }

  /** The app's PHI or content-safety policy refused the request. */
  get isPolicyBlocked(): boolean {
    return this.status === 422 || this.type === "policy_violation";
  }

  /** The token expired or was revoked: get a new one from the app's backend. */
  get isAuthError(): boolean {
    return this.status === 401;
  }
}

export async function errorFromResponse(response: Response): Promise<AIWorkersError> {
  let body: ErrorBody | undefined;
  try {
    const data = (await response.json()) as { error?: ErrorBody };
    body = data.error;
  } catch {
    body = undefined;
  }
  const retry = response.headers.get("retry-after");
  return new AIWorkersError(response.status, body, retry ? Number(retry) : undefined);
}
