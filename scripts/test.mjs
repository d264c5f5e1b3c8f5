// Runs every compiled test file (dist/test/**/*.test.js) with node:test. A tiny runner instead of
// `node --test dir` because Node 21+ treats those arguments as globs (Node 20 does not).
// Usage: node scripts/test.mjs [substring …]  — only files whose path contains one of them.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../dist/test", import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(root, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith(".test.js"))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort()
  .map((f) => join(root, f));

if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}

let failed = 0;
const stream = run({ files, concurrency: 2, timeout: 120_000 });
stream.on("test:fail", (ev) => {
  if (ev.details?.type !== "suite") failed++;
});
stream.compose(spec).pipe(process.stdout);
stream.on("end", () => {
  process.exitCode = failed > 0 ? 1 : 0;
});

