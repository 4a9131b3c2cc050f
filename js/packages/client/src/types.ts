/** What the gateway adds to an answer (`x_ai_workers`, or the `x-ai-workers-*` headers of a stream). */
export interface GatewayInfo {
  provider?: string;
  provider_model?: string;
  latency_ms?: number;
  cost_usd?: number;
  neurons?: number;
  tier?: string;
  route_reason?: string;
  arm?: string;
  /** "hit", "semantic_hit", "miss" or "skip". */
  cache?: string;
  cache_similarity?: number;
  /** How many PHI identifiers were redacted before the model saw the prompt (never their values). */
  phi_redactions?: number;
  /** The kinds of PHI redacted, e.g. ["NAME", "SSN"]. */
  phi_types?: string[];
  /** "safe", "flagged" or "blocked". */
  safety?: string;
  safety_categories?: string[];
  attempts?: number;
  request_id?: string;
}

export type Role = "system" | "user" | "assistant" | "tool" | "developer";

export interface ChatMessage {
  role: Role;
  content: string;
}

export interface ChatRequest {
  /** A model name, an alias or "auto" (the gateway picks by complexity). */
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  max_tokens?: number;
  [extra: string]: unknown;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ChatResponse {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: { index: number; message: { role: Role; content: string | null }; finish_reason: string | null }[];
  usage: Usage;
  x_ai_workers?: GatewayInfo;
}

export interface ChatChunk {
  id: string;
  object: "chat.completion.chunk";
  model: string;
  choices: { index: number; delta: { role?: Role; content?: string | null }; finish_reason: string | null }[];
  usage?: Usage | null;
  x_ai_workers?: GatewayInfo;
}

/** One piece of a streamed answer. */
export interface ChatDelta {
  content: string;
  finishReason: string | null;
  chunk: ChatChunk;
}

export interface EmbeddingRequest {
  model: string;
  input: string | string[];
  dimensions?: number;
}

export interface EmbeddingResponse {
  object: "list";
  model: string;
  data: { object: "embedding"; index: number; embedding: number[] }[];
  usage: Usage;
  x_ai_workers?: GatewayInfo;
}

export interface RagQueryRequest {
  question: string;
  collection: string;
  documentIds?: string[];
  options?: {
    top_k?: number;
    mode?: "rerank" | "hybrid" | "dense" | "bm25";
    answer_mode?: "auto" | "generative" | "extractive";
    embedding_model?: string;
  };
}

export interface Citation {
  n: number;
  source: string;
  title: string;
  heading: string;
  page?: number | null;
  document_id: string;
}

export interface RagSource {
  n: number;
  document_id: string;
  source: string;
  title: string;
  headings: string[];
  page?: number | null;
  text: string;
  score: number;
}

export interface RagAnswer {
  question: string;
  collection: string;
  answer: string;
  found: boolean;
  mode: string;
  citations: Citation[];
  sources: RagSource[];
  cost_usd?: number;
  latency_ms?: number;
  confidence?: number | null;
  note?: string | null;
}

export interface Model {
  id: string;
  object: "model";
  owned_by: string;
  capability: string;
  context_length?: number | null;
  features?: string[];
}

export interface BudgetStatus {
  app: string;
  budget: string;
  scope: string;
  user: string | null;
  period: string;
  period_start: string;
  resets_at: string;
  limit_usd: number | null;
  limit_requests: number | null;
  spent_usd: number;
  reserved_usd: number;
  requests: number;
  percent: number;
  soft_pct: number;
}

/** `GET /v1/tokens/current`: the browser token's own view of itself. */
export interface TokenInfo {
  id: string;
  app: string;
  user: string;
  models: string[] | null;
  max_spend_usd: number | null;
  spent_usd: number;
  expires_at: number;
  expires_in_s: number;
  budgets: BudgetStatus[];
}

export type Rating = "up" | "down";

export interface ErrorBody {
  message: string;
  type?: string;
  code?: string | null;
  param?: string | null;
  [extra: string]: unknown;
}
