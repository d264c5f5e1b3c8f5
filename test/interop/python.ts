// Runs one of the slixmpp scenario scripts with Debian's Python (python3-slixmpp is installed by
// .ci/run) and collects what it printed; a script that outlives `timeoutMs` is killed.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const PYTHON = "/usr/bin/python3";

export interface PythonRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `script` is a file name in test/interop/ (the scripts stay in the source tree, not in dist/). */
export function runPython(script: string, args: string[], timeoutMs: number): Promise<PythonRun> {
  const path = fileURLToPath(new URL(`../../../test/interop/${script}`, import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(PYTHON, [path, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
