// Shared fixtures for the tls tests: a complete Config rooted in a temp dir, and a logger that
// remembers what was logged so tests can assert that a warning or a reason was reported.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import type { Config } from "../../../src/config/types.js";
import type { Logger, LogLevel } from "../../../src/log/logger.js";

export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "chatctl-tls-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function testConfig(dataDir: string, overrides: { domain?: string; tls?: Partial<Config["tls"]>; services?: Partial<Config["services"]> } = {}): Config {
  const listener = { enabled: false, addresses: ["127.0.0.1"], port: 0 };
  return {
    domain: overrides.domain ?? "localhost",
    dataDir,
    listeners: { c2s: listener, c2sDirectTls: listener },
    tls: { minVersion: "TLSv1.2", ...overrides.tls },
    c2s: {
      requireEncryption: true,
      authTimeout: 30,
      keepaliveInterval: 0,
      maxStanzaBytesPreAuth: 10_000,
      maxStanzaBytes: 262_144,
      maxDepth: 32,
      maxChildren: 25_000,
      maxConnections: 100,
    },
    auth: { backend: "internal", scramIterations: 4096, maxFailuresPerAddress: 10, maxFailuresPerAccount: 10, failureWindow: 60 },
    storage: { backend: "memory" },
    log: { level: "silent", format: "json" },
    admin: { group: "jabberadmins", jids: [] },
    services: { conference: false, pubsub: false, proxy: false, upload: false, ...overrides.services },
    server: { name: "chatctl", revealOs: false },
    offline: { maxMessages: 1000 },
    mam: { defaultPolicy: "always", defaultPageSize: 20, maxPageSize: 100, retentionDays: 0, maxStorageBytes: 0 },
    muc: { historyLength: 20, maxHistoryLength: 100, roomCreation: "local", archiveByDefault: true },
    pubsub: { maxItems: 256, maxPayloadBytes: 262_144, maxNodesPerOwner: 1000, nodeCreation: "local" },
    proxy: { port: 0, addresses: ["127.0.0.1"], maxTransferBytes: 0, maxBytesPerSecond: 0, idleTimeoutSeconds: 60, maxConcurrent: 100, access: "local" },
    upload: { port: 0, addresses: ["127.0.0.1"], maxFileBytes: 104_857_600, quotaBytes: 0, expireDays: 30, slotTimeoutSeconds: 300 },
  };
}

export interface LogLine {
  level: LogLevel;
  obj: object | string;
  msg?: string;
}

export interface RecordingLogger extends Logger {
  lines: LogLine[];
  /** Every line at `level`, flattened to text (bindings as JSON, then the message). */
  text(level: LogLevel): string;
}

export function recordingLogger(): RecordingLogger {
  const lines: LogLine[] = [];
  const at = (level: LogLevel) => (obj: object | string, msg?: string) => {
    lines.push(msg === undefined ? { level, obj } : { level, obj, msg });
  };
  const log: RecordingLogger = {
    level: "trace",
    lines,
    trace: at("trace"),
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    fatal: at("fatal"),
    child: () => log,
    text: (level) =>
      lines
        .filter((l) => l.level === level)
        .map((l) => `${typeof l.obj === "string" ? l.obj : JSON.stringify(l.obj)} ${l.msg ?? ""}`)
        .join("\n"),
  };
  return log;
}
