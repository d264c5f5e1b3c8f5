// Shared by the CLI tests: run the real bin/chatctl.js in a child process, or main() in-process
// with captured streams, against a throwaway data directory and config file.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { CliContext } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";
import { createOutput } from "../../src/cli/output.js";
import type { Config } from "../../src/config/types.js";

/** The repository root (tests run compiled, from dist/test/cli). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const binPath = join(repoRoot, "bin", "chatctl.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment children get: the runner's, minus CHATCTL_* (which would change the
 * configuration under test) and NO_COLOR, with HOME pointing at the test's own directory.
 */
export function childEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("CHATCTL_") && k !== "NO_COLOR") env[k] = v;
  return { ...env, HOME: home, XDG_DATA_HOME: join(home, ".local", "share"), ...extra };
}

/** Runs `node bin/chatctl.js …args` with `input` on stdin (a pipe, so never a terminal). */
export function runCli(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], { env: opts.env ?? process.env, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    // Always end stdin: a command that wrongly waited for input would otherwise hang the test.
    child.stdin.end(opts.input ?? "");
  });
}

export interface Sandbox {
  dir: string;
  dataDir: string;
  configPath: string;
  env: NodeJS.ProcessEnv;
  /** Global options selecting this sandbox's config file and data directory, then `args`. */
  args(...args: string[]): string[];
  /** runCli with this sandbox's options and environment. */
  run(args: string[], input?: string): Promise<CliResult>;
  /** Replaces the config file's content. */
  writeConfig(yaml: string): Promise<void>;
  remove(): Promise<void>;
}

export const DOMAIN = "example.test";

/** A temp dir with a config file (domain example.test, SQLite storage) and a data directory. */
export async function sandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), "chatctl-cli-"));
  const dataDir = join(dir, "data");
  const configPath = join(dir, "chatctl.yml");
  const env = childEnv(dir);
  const box: Sandbox = {
    dir,
    dataDir,
    configPath,
    env,
    args: (...args) => ["--config", configPath, "--data-dir", dataDir, ...args],
    run: (args, input) => runCli(box.args(...args), input === undefined ? { env } : { env, input }),
    writeConfig: (yaml) => writeFile(configPath, yaml),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  await box.writeConfig(`domain: ${DOMAIN}\nstorage:\n  backend: sqlite\nlog:\n  level: warn\n`);
  return box;
}

export interface Captured {
  stream: Writable;
  text(): string;
}

/** A writable that keeps what was written; synchronous, so the text is complete when main() resolves. */
export function capture(): Captured {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString("utf8");
      done();
    },
  });
  return { stream, text: () => text };
}

/** main() in-process: argv as the user types it, streams captured, never a terminal. */
export async function runMain(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const stdin = new PassThrough();
  stdin.end();
  const code = await main(["node", "chatctl", ...args], { stdout: stdout.stream, stderr: stderr.stream, stdin, isTTY: false, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

export interface FakeContext {
  ctx: CliContext;
  stdout: Captured;
  stderr: Captured;
  /** What the prompts were asked, in order. */
  asked: string[];
}

/**
 * A CliContext for calling a command's run() in-process: captured output, scripted prompt
 * answers (taken in order), and whatever config/signal behaviour the test overrides.
 */
export function fakeContext(opts: {
  isTTY?: boolean;
  answers?: Array<string | boolean>;
  loadConfig?: () => Promise<Config>;
  overrides?: Partial<CliContext>;
} = {}): FakeContext {
  const stdout = capture();
  const stderr = capture();
  const asked: string[] = [];
  const answers = [...(opts.answers ?? [])];
  const next = <T>(message: string, type: "string" | "boolean"): Promise<T> => {
    asked.push(message);
    const answer = answers.shift();
    if (typeof answer !== type) return Promise.reject(new Error(`unexpected prompt: ${message}`));
    return Promise.resolve(answer as T);
  };
  const stdin = new PassThrough();
  stdin.end();
  const ctx: CliContext = {
    out: createOutput({ stdout: stdout.stream, stderr: stderr.stream }, false),
    stdin,
    stdout: stdout.stream,
    stderr: stderr.stream,
    isTTY: opts.isTTY ?? false,
    globals: { color: true },
    prompts: {
      password: (message) => next<string>(message, "string"),
      confirm: (message) => next<boolean>(message, "boolean"),
      text: (message) => next<string>(message, "string"),
    },
    loadConfig: opts.loadConfig ?? (() => Promise.reject(new Error("this test loads no configuration"))),
    onSignal: () => () => {},
    requestForcedExit: () => {},
    ...opts.overrides,
  };
  return { ctx, stdout, stderr, asked };
}
