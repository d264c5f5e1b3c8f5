// Who may use the proxy (proxy.access): accounts of this server's domain by default, so the
// bandwidth serves this server's users; "any" also lets federated users relay through it.
import type { Jid } from "../../jid/jid.js";
import type { ProxyOptions } from "./options.js";

export function mayUseProxy(from: Jid, domain: string, access: ProxyOptions["access"]): boolean {
  if (access === "any") return true;
  return from.local !== "" && from.domain === domain;
}
