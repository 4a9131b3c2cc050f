import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// Library mode: one ES module plus one CSS file; React stays a peer dependency (not bundled), the
// client (a few KB, no dependencies of its own) is bundled in.
export default defineConfig({
  esbuild: { jsx: "automatic" },
  resolve: {
    alias: { "@ai-workers/client": fileURLToPath(new URL("../client/src/index.ts", import.meta.url)) },
  },
  build: {
    lib: { entry: "src/index.ts", formats: ["es"], fileName: () => "ai-workers-react.js", cssFileName: "ai-workers-react" },
    rollupOptions: { external: ["react", "react-dom", "react/jsx-runtime", "react-dom/client"] },
    sourcemap: false,
    minify: "esbuild",
  },
});
