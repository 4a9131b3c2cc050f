import { AIWorkersClient, type GatewayInfo } from "@ai-workers/client";
import { createContext, useContext, useMemo, useState, type ReactNode } from "react";

export interface AIWorkersState {
  client: AIWorkersClient;
  /** The model chosen in <AIModelSelector> ("auto" by default). */
  model: string;
  setModel: (model: string) => void;
  /** The gateway's report on the last answer (for <AISafetyIndicator>). */
  lastInfo: GatewayInfo | null;
  setLastInfo: (info: GatewayInfo | null) => void;
  /** Bumped after each answer, so <AIUsageMonitor> refreshes. */
  answers: number;
  answered: () => void;
}

const Context = createContext<AIWorkersState | null>(null);

export interface AIWorkersProviderProps {
  /** A client, or baseUrl + token (a browser token from your backend; never an app key). */
  client?: AIWorkersClient;
  baseUrl?: string;
  token?: string | (() => string | Promise<string>);
  defaultModel?: string;
  children?: ReactNode;
}

export function AIWorkersProvider({ client, baseUrl, token, defaultModel = "auto", children }: AIWorkersProviderProps) {
  const resolved = useMemo(() => {
    if (client) return client;
    if (!baseUrl || !token) throw new Error("AIWorkersProvider needs a client, or baseUrl and token");
    return new AIWorkersClient({ baseUrl, token });
  }, [client, baseUrl, token]);
  const [model, setModel] = useState(defaultModel);
  const [lastInfo, setLastInfo] = useState<GatewayInfo | null>(null);
  const [answers, setAnswers] = useState(0);
  const value = useMemo<AIWorkersState>(
    () => ({ client: resolved, model, setModel, lastInfo, setLastInfo, answers, answered: () => setAnswers((n) => n + 1) }),
    [resolved, model, lastInfo, answers],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useAIWorkers(): AIWorkersState {
  const value = useContext(Context);
  if (!value) throw new Error("AI Workers widgets must be inside <AIWorkersProvider>");
  return value;
}
