import { AIWorkersError } from "@ai-workers/client";

/** What to tell the end user about a failed request (never a raw stack or an internal detail). */
export function describeError(error: unknown): string {
  if (error instanceof AIWorkersError) {
    if (error.isBudgetExceeded)
      return "The spending limit for this chat has been reached. Please try again later or contact support.";
    if (error.isRateLimited)
      return `Too many messages at once. Please wait${error.retryAfter ? ` ${Math.ceil(error.retryAfter)} seconds` : " a moment"} and try again.`;
    if (error.isPolicyBlocked)
      return "This message was not sent because it appears to contain protected health information (such as a name, date of birth or ID number). Please remove it and try again.";
    if (error.isAuthError) return "Your chat session has expired. Please reload the page.";
    if (error.status === 403) return "This model is not available to you. Please choose another one.";
    return error.message || "Something went wrong. Please try again.";
  }
  return "The connection failed. Please check your network and try again.";
}

export function errorKind(error: unknown): "budget" | "phi" | "rate" | "auth" | "other" {
  if (error instanceof AIWorkersError) {
    if (error.isBudgetExceeded) return "budget";
    if (error.isPolicyBlocked) return "phi";
    if (error.isRateLimited) return "rate";
    if (error.isAuthError) return "auth";
  }
  return "other";
}
