import "./styles.css";

export { AIChat, type AIChatProps } from "./AIChat.js";
export { AIModelSelector, type AIModelSelectorProps } from "./AIModelSelector.js";
export { AISafetyIndicator, type AISafetyIndicatorProps } from "./AISafetyIndicator.js";
export { AIUsageMonitor, type AIUsageMonitorProps } from "./AIUsageMonitor.js";
export { AIWorkersProvider, useAIWorkers, type AIWorkersProviderProps, type AIWorkersState } from "./context.js";
export { Markdown, type MarkdownProps } from "./markdown.js";
export { describeError } from "./messages.js";
export { AIWorkersClient, AIWorkersError } from "@ai-workers/client";
