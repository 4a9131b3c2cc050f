import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// A self-contained build for pages without a bundler (the example app, the gateway's own static
// files): React included, exported as `mount(element, options)`.
export default defineConfig({
  esbuild: { jsx: "automatic" },
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  resolve: {
    alias: { "@ai-workers/client": fileURLToPath(new URL("../client/src/index.ts", import.meta.url)) },
  },
  build: {
    outDir: "dist-standalone",
    minify: "esbuild",
    lib: { entry: "src/standalone.tsx", formats: ["es"], fileName: () => "ai-workers-widgets.js", cssFileName: "ai-workers-widgets" },
    sourcemap: false,
  },
});
