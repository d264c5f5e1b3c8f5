// The proxy65 module's settings: the `proxy` section of the configuration, as the SOCKS5 service
// takes them.
import type { Config } from "../../config/types.js";
import type { ProxyLimits } from "../../services/socks5/proxy.js";

export type ProxyOptions = Config["proxy"];

export function proxyLimits(options: ProxyOptions): ProxyLimits {
  return {
    idleTimeoutMs: options.idleTimeoutSeconds * 1000,
    maxTransferBytes: options.maxTransferBytes,
    maxBytesPerSecond: options.maxBytesPerSecond,
    maxConcurrent: options.maxConcurrent,
  };
}
