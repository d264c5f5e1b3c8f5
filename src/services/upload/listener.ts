// The HTTPS listener of the upload service: one https.Server per configured address, all built
// from the server's TlsContextManager so a SIGHUP certificate reload reaches them too. Timeouts
// suit large transfers: no limit on a whole request (a 100 MiB upload on a slow link takes
// minutes), but an idle connection or a client slow to send its headers is closed.
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { ChatctlError, ExitCode } from "../../errors.js";
import type { TlsContextManager } from "../../tls/context.js";
import type { UploadHttpHandler } from "./http.js";

const HEADERS_TIMEOUT_MS = 30_000;
const IDLE_TIMEOUT_MS = 120_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

export interface UploadListener {
  readonly addresses: AddressInfo[];
  close(): Promise<void>;
}

export async function startUploadListener(
  bind: { addresses: readonly string[]; port: number },
  tls: TlsContextManager,
  handler: UploadHttpHandler,
): Promise<UploadListener> {
  const servers: Array<{ server: Server; detach: () => void }> = [];
  const close = async () => {
    await Promise.all(
      servers.map(
        ({ server, detach }) =>
          new Promise<void>((resolve) => {
            detach();
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  };
  // With port 0 the first address picks a free port and the others share it, so one URL fits all.
  let port = bind.port;
  try {
    for (const address of bind.addresses) {
      const server = createServer({ ...tls.serverOptions() });
      server.requestTimeout = 0;
      server.headersTimeout = HEADERS_TIMEOUT_MS;
      server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
      server.setTimeout(IDLE_TIMEOUT_MS, (socket) => socket.destroy());
      server.on("request", (req, res) => handler.handle(req, res));
      server.on("checkContinue", (req, res) => handler.handleExpectContinue(req, res));
      servers.push({ server, detach: tls.attach(server) });
      await listen(server, address, port);
      port = (server.address() as AddressInfo).port;
    }
  } catch (err) {
    await close();
    throw listenError(err, port);
  }
  return { addresses: servers.map(({ server }) => server.address() as AddressInfo), close };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port, ipv6Only: host.includes(":") }, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function listenError(err: unknown, port: number): unknown {
  const e = err as NodeJS.ErrnoException & { address?: string };
  const where = `${e.address?.includes(":") ? `[${e.address}]` : (e.address ?? "*")}:${port}`;
  switch (e.code) {
    case "EADDRINUSE":
      return new ChatctlError("CHATCTL_E_LISTEN", `the upload service cannot listen on ${where}: address already in use`, ExitCode.FAILED,
        "stop the other server on that port, choose another with upload.port, or disable services.upload");
    case "EACCES":
      return new ChatctlError("CHATCTL_E_LISTEN", `the upload service cannot listen on ${where}: permission denied`, ExitCode.FAILED,
        "ports below 1024 need privileges (e.g. setcap cap_net_bind_service); or choose another with upload.port");
    case "EADDRNOTAVAIL":
      return new ChatctlError("CHATCTL_E_LISTEN", `the upload service cannot listen on ${where}: no such local address`, ExitCode.FAILED,
        "check upload.addresses in the configuration");
    default:
      return err;
  }
}
