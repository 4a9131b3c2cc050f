import { createRoot } from "react-dom/client";
import "./styles.css";
import { AIChat, AIModelSelector, AISafetyIndicator, AIUsageMonitor, AIWorkersProvider } from "./index.js";

export interface MountOptions {
  baseUrl: string;
  /** A browser token, or a function fetching one from the app's backend. */
  token: string | (() => string | Promise<string>);
  /** The model selected at first ("auto" when unset). */
  model?: string;
  title?: string;
  system?: string;
  collection?: string;
}

/** Render the four widgets into `element` (for pages without a bundler). Returns an unmount function. */
export function mount(element: HTMLElement, options: MountOptions): () => void {
  const root = createRoot(element);
  root.render(
    <AIWorkersProvider baseUrl={options.baseUrl} token={options.token} defaultModel={options.model}>
      <div className="aiw-layout">
        <div className="aiw-side">
          <AIModelSelector />
          <AISafetyIndicator />
          <AIUsageMonitor />
        </div>
        <AIChat title={options.title} system={options.system} collection={options.collection} />
      </div>
    </AIWorkersProvider>,
  );
  return () => root.unmount();
}

export * from "./index.js";
