// The URLs handed out in slots: <base>/<file id>/<file name>, where base is upload.publicUrl or
// https://upload.<domain>:<port>. Both PUT and GET use the same URL (XEP-0363 allows it).
import type { Config } from "../../config/types.js";
import { ConfigError } from "../../errors.js";
import { uploadHost } from "./records.js";

/** The base URL without a trailing slash; throws ConfigError when upload.publicUrl is not an https URL. */
export function publicBaseUrl(config: Pick<Config, "domain" | "source"> & { upload: Pick<Config["upload"], "publicUrl" | "port"> }, boundPort?: number): URL {
  const configured = config.upload.publicUrl;
  if (configured === undefined) return new URL(`https://${uploadHost(config)}:${boundPort ?? config.upload.port}`);
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    throw new ConfigError(config.source, "upload.publicUrl", `expected an https:// URL, got ${JSON.stringify(configured)}`, "set upload.publicUrl to a URL such as https://upload.example.org:5281");
  }
  // §4: "The host MUST provide Transport Layer Security".
  if (url.protocol !== "https:" || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new ConfigError(config.source, "upload.publicUrl", `expected an https:// URL without query, fragment or credentials, got ${JSON.stringify(configured)}`, "set upload.publicUrl to a URL such as https://upload.example.org:5281");
  }
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}

export function fileUrl(base: URL, id: string, filename: string): string {
  const path = base.pathname.replace(/\/+$/, "");
  return `${base.origin}${path}/${id}/${encodeURIComponent(filename)}`;
}
