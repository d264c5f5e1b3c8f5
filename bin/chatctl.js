#!/usr/bin/env node
// Two steps, because a static import graph is loaded (every file parsed) before any of it runs:
// the young-generation setting must be in place before chatctl's ~400 modules are read.
await import("../dist/src/cli/young-generation.js");
const { main } = await import("../dist/src/cli/main.js");
process.exitCode = await main(process.argv);
