// Starts a real chatctl server in-process on 127.0.0.1 with ephemeral ports and a temp data dir,
// the way every integration test needs it; stop() closes it and removes the directory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../../src/config/load.js";
import type { Config } from "../../../src/config/types.js";
import { createLogger } from "../../../src/log/logger.js";
import { startServer, type RunningServer, type StartOptions } from "../../../src/server/index.js";

export interface TestServer {
  server: RunningServer;
  config: Config;
  dataDir: string;
  /** STARTTLS port */
  port: number;
  /** direct TLS port */
  tlsPort: number;
  domain: string;
  addUser(name: string, password: string): void;
  stop(): Promise<void>;
  /** Stops and starts again on the same data directory (and new ports). */
  restart(): Promise<void>;
}

export async function startTestServer(flags: Record<string, unknown> = {}, options: StartOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "chatctl-it-"));
  const config = loadConfig({
    env: {},
    flags: {
      dataDir,
      "listeners.c2s.addresses": ["127.0.0.1"],
      "listeners.c2s.port": 0,
      "listeners.c2sDirectTls.addresses": ["127.0.0.1"],
      "listeners.c2sDirectTls.port": 0,
      // The upload HTTPS listener (services.upload): loopback, ephemeral port, like the others.
      "upload.addresses": ["127.0.0.1"],
      "upload.port": 0,
      // The SOCKS5 proxy (services.proxy): loopback, ephemeral port; the streamhost query tells the port.
      "proxy.addresses": ["127.0.0.1"],
      "proxy.port": 0,
      "log.level": process.env.CHATCTL_TEST_LOG ?? "silent",
      "log.format": "json",
      // Fast SCRAM in tests; production defaults stay at 4096+.
      "auth.scramIterations": 4096,
      ...flags,
    },
  });
  const log = createLogger({ level: config.log.level, format: "json" });
  let server = await startServer(config, log, options);
  const t: TestServer = {
    server,
    config,
    dataDir,
    port: 0,
    tlsPort: 0,
    domain: config.domain,
    addUser(name, password) {
      server.host.auth.createUser(name, password);
    },
    async stop() {
      await server.close("test finished");
      rmSync(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await server.close("restart");
      server = await startServer(config, log, options);
      t.server = server;
      setPorts();
    },
  };
  const setPorts = () => {
    t.port = server.addresses().c2s[0]!.port;
    t.tlsPort = server.addresses().c2sDirectTls[0]!.port;
  };
  setPorts();
  return t;
}
