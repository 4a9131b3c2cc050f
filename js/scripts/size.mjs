// Prints the widgets bundle's size, raw and gzipped (React excluded: it is a peer dependency).
// Fails (exit 1) over the budget. Run after `npm run build`.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_GZIP = 40 * 1024;
const files = ["packages/react/dist/ai-workers-react.js", "packages/react/dist/ai-workers-react.css"];
let total = 0;
for (const file of files) {
  const data = readFileSync(new URL(`../${file}`, import.meta.url));
  const gz = gzipSync(data, { level: 9 }).length;
  total += gz;
  console.log(`${file}: ${(data.length / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzip`);
}
console.log(`widgets total: ${(total / 1024).toFixed(1)} KB gzip (budget ${BUDGET_GZIP / 1024} KB, React excluded)`);
if (total > BUDGET_GZIP) process.exit(1);
