import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  esbuild: { jsx: "automatic" },
  resolve: {
    alias: { "@ai-workers/client": fileURLToPath(new URL("./packages/client/src/index.ts", import.meta.url)) },
  },
  test: { include: ["packages/*/src/**/*.test.{ts,tsx}"], environment: "node" },
});
