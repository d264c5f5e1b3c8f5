// The HTTP side of XEP-0363: PUT stores a slot's file, GET/HEAD serve it. URLs are
// <base>/<file id>/<file name>; only the id is looked up (the name is for people and for the
// file extension clients look at). Every response is small and fixed except the file bodies,
// which are streamed both ways with backpressure, so memory does not grow with file size.
//
// PUT (§6): `Authorization: Bearer <secret>` from the slot; Content-Length exactly the slot's
// size; Content-Type the one announced in the request (when one was). The body goes to a
// private file in partial/, is synced, then renamed into place and only then marked complete,
// so a GET never sees a partial file and a crash leaves no half file behind a complete record.
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { Logger } from "../../log/logger.js";
import { contentDisposition, contentSecurityPolicy, DEFAULT_MEDIA_TYPE, isInlineType, mediaEssence, normalizeMediaType } from "./content.js";
import { isFileId, secretMatches } from "./ids.js";
import type { UploadLayout } from "./layout.js";
import { planRange } from "./range.js";
import { isComplete, type UploadRecord, type UploadRecords } from "./records.js";

const DAY_MS = 86_400_000;
/** Cache lifetime when files never expire: a year, the conventional maximum. */
const FOREVER_MAX_AGE_S = 31_536_000;

export interface UploadHttpOptions {
  records: UploadRecords;
  layout: UploadLayout;
  log: Logger;
  /** 0 = files never expire; otherwise a file older than this is gone even before the daily purge. */
  expireDays: number;
  /** Shared with the slot service: ids whose PUT is running. */
  inProgress: Set<string>;
  now?: () => Date;
}

type Headers = Record<string, string | number>;

/** Headers on every response: no MIME sniffing, no framing, and CORS for web clients. */
const COMMON: Headers = {
  "X-Content-Type-Options": "nosniff",
  "Access-Control-Allow-Origin": "*",
};

export class UploadHttpHandler {
  readonly #o: UploadHttpOptions;
  readonly #now: () => Date;

  constructor(options: UploadHttpOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** The server's `request` event. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    this.#dispatch(req, res, false).catch((err: unknown) => this.#failed(err, req, res));
  }

  /** The server's `checkContinue` event: a PUT is checked before the client sends its body. */
  handleExpectContinue(req: IncomingMessage, res: ServerResponse): void {
    this.#dispatch(req, res, true).catch((err: unknown) => this.#failed(err, req, res));
  }

  async #dispatch(req: IncomingMessage, res: ServerResponse, expectContinue: boolean): Promise<void> {
    const method = req.method ?? "";
    if (method === "OPTIONS") return this.#preflight(res);
    if (method !== "GET" && method !== "HEAD" && method !== "PUT") {
      return reply(res, 405, "method not allowed", { Allow: "GET, HEAD, PUT, OPTIONS" }, method === "POST" || method === "PATCH");
    }
    const id = fileIdOf(req.url ?? "/");
    const record = id !== undefined ? this.#o.records.get(id) : undefined;
    if (method === "PUT") {
      if (!record) return reply(res, 404, "no such upload slot", {}, true);
      return this.#put(req, res, record, expectContinue);
    }
    if (!record || !isComplete(record)) return reply(res, 404, "not found");
    return this.#get(req, res, record, method === "HEAD");
  }

  #preflight(res: ServerResponse): void {
    res.writeHead(204, {
      ...COMMON,
      "Access-Control-Allow-Methods": "GET, HEAD, PUT, OPTIONS",
      "Access-Control-Allow-Headers": "Authorization, Content-Type",
      "Access-Control-Max-Age": 86400,
    });
    res.end();
  }

  async #put(req: IncomingMessage, res: ServerResponse, record: UploadRecord, expectContinue: boolean): Promise<void> {
    const auth = req.headers.authorization;
    if (auth === undefined) return reply(res, 401, "this upload needs the Authorization header that came with the slot", { "WWW-Authenticate": 'Bearer realm="upload"' }, true);
    const bearer = /^Bearer[ \t]+(\S+)\s*$/i.exec(auth);
    if (!bearer || !secretMatches(bearer[1]!, record.secretHash)) return reply(res, 403, "wrong upload secret", {}, true);
    if (isComplete(record)) return reply(res, 409, "this slot's file was already uploaded", {}, true);
    if (this.#o.inProgress.has(record.id)) return reply(res, 409, "an upload to this slot is in progress", {}, true);
    if (this.#now().getTime() > Date.parse(record.slotExpiresAt)) return reply(res, 410, "the upload slot has expired; request a new one", {}, true);

    const lengthHeader = req.headers["content-length"];
    if (lengthHeader === undefined || req.headers["transfer-encoding"] !== undefined) {
      return reply(res, 411, `Content-Length ${record.size} is required`, {}, true);
    }
    const length = Number(lengthHeader);
    if (length > record.size) return reply(res, 413, `Content-Length ${lengthHeader} is more than the slot's size ${record.size}`, {}, true);
    if (length !== record.size) return reply(res, 400, `Content-Length ${lengthHeader} is not the slot's size ${record.size}`, {}, true);

    const given = req.headers["content-type"];
    let storedType: string;
    if (record.contentType !== null) {
      // §6: reject a type other than the announced one (parameters such as charset may differ).
      if (given === undefined || mediaEssence(given) !== mediaEssence(record.contentType)) {
        return reply(res, 415, `Content-Type must be ${record.contentType}, as in the slot request`, {}, true);
      }
      storedType = normalizeMediaType(given) ?? record.contentType;
    } else if (given !== undefined) {
      const normalized = normalizeMediaType(given);
      if (normalized === undefined) return reply(res, 400, "Content-Type is not a media type", {}, true);
      storedType = normalized;
    } else {
      storedType = DEFAULT_MEDIA_TYPE;
    }

    this.#o.inProgress.add(record.id);
    try {
      if (expectContinue) res.writeContinue();
      const stored = await this.#receive(req, record);
      if (!stored) {
        if (!res.headersSent && !res.destroyed) reply(res, 400, "the upload did not complete; retry while the slot is valid", {}, true);
        return;
      }
      const completed: UploadRecord = { ...record, completedAt: this.#now().toISOString(), storedType };
      this.#o.records.put(completed);
      this.#o.log.info({ id: record.id, user: record.user, bytes: record.size, type: storedType }, "file uploaded");
      reply(res, 201, "created");
    } finally {
      this.#o.inProgress.delete(record.id);
    }
  }

  /** Streams the body into a private file, synced to disk, then renamed into place. False when the client went away. */
  async #receive(req: IncomingMessage, record: UploadRecord): Promise<boolean> {
    const { layout } = this.#o;
    await mkdir(layout.partialDir, { recursive: true, mode: 0o700 });
    const partial = layout.partialPath(record.id, randomBytes(6).toString("hex"));
    // wx: a fresh file or nothing; flush: fsync before close, so "201 Created" means on disk.
    const out = createWriteStream(partial, { flags: "wx", mode: 0o600, flush: true });
    let kept = false;
    try {
      await pipeline(req, out);
      if (out.bytesWritten !== record.size) {
        this.#o.log.warn({ id: record.id, received: out.bytesWritten, size: record.size }, "upload ended short");
        return false;
      }
      kept = true;
    } catch (err) {
      this.#o.log.info({ id: record.id, user: record.user, received: out.bytesWritten, size: record.size, err }, "upload interrupted; the slot stays open until it expires");
      return false;
    } finally {
      if (!kept) await rm(partial, { force: true });
    }
    await mkdir(layout.shardDir(record.id), { recursive: true, mode: 0o700 });
    await rename(partial, layout.filePath(record.id));
    return true;
  }

  async #get(req: IncomingMessage, res: ServerResponse, record: UploadRecord & { completedAt: string }, head: boolean): Promise<void> {
    const completed = Date.parse(record.completedAt);
    const now = this.#now().getTime();
    const expiresAt = this.#o.expireDays > 0 ? completed + this.#o.expireDays * DAY_MS : Infinity;
    if (now >= expiresAt) return reply(res, 410, "this file has expired");
    const path = this.#o.layout.filePath(record.id);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      this.#o.log.warn({ id: record.id, path }, "an upload record has no file on disk");
      return reply(res, 404, "not found");
    }

    const type = record.storedType ?? DEFAULT_MEDIA_TYPE;
    const etag = `"${record.id}"`;
    const lastModified = new Date(completed).toUTCString();
    const maxAge = Number.isFinite(expiresAt) ? Math.max(0, Math.floor((expiresAt - now) / 1000)) : FOREVER_MAX_AGE_S;
    const headers: Headers = {
      ...COMMON,
      "Content-Security-Policy": contentSecurityPolicy(type),
      "Content-Type": type,
      "Content-Disposition": contentDisposition(record.filename, isInlineType(type)),
      "Accept-Ranges": "bytes",
      ETag: etag,
      "Last-Modified": lastModified,
      // The content behind a URL never changes; it only disappears at expiry.
      "Cache-Control": `public, max-age=${maxAge}, immutable`,
    };

    if (notModified(req, etag, completed)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }

    let plan = planRange(req.headers.range, size);
    const ifRange = req.headers["if-range"];
    if (plan.kind !== "full" && ifRange !== undefined && ifRange !== etag && ifRange !== lastModified) plan = { kind: "full" };
    if (plan.kind === "unsatisfiable") {
      return reply(res, 416, "range not satisfiable", { ...headers, "Content-Range": `bytes */${size}` });
    }
    const start = plan.kind === "partial" ? plan.start : 0;
    const end = plan.kind === "partial" ? plan.end : size - 1;
    const status = plan.kind === "partial" ? 206 : 200;
    if (plan.kind === "partial") headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
    headers["Content-Length"] = end - start + 1;
    res.writeHead(status, headers);
    if (head) {
      res.end();
      return;
    }
    try {
      await pipeline(createReadStream(path, { start, end, highWaterMark: 64 * 1024 }), res);
    } catch (err) {
      // The client closing the connection mid-download is normal; anything else is worth a line.
      if (!res.destroyed || (err as NodeJS.ErrnoException).code !== "ERR_STREAM_PREMATURE_CLOSE") this.#o.log.debug({ id: record.id, err }, "download ended early");
    }
  }

  #failed(err: unknown, req: IncomingMessage, res: ServerResponse): void {
    this.#o.log.error({ err, method: req.method, url: req.url }, "upload request failed");
    if (!res.headersSent) reply(res, 500, "internal error", {}, true);
    else res.destroy();
  }
}

/** The file id in a request path: the segment before the file name (or the last one). */
export function fileIdOf(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url, "https://upload.invalid").pathname;
  } catch {
    return undefined;
  }
  const segments = path.split("/").filter((s) => s !== "");
  for (const candidate of [segments.at(-2), segments.at(-1)]) {
    if (candidate !== undefined && isFileId(candidate)) return candidate;
  }
  return undefined;
}

/** RFC 9110 §13.1.2/§13.1.3: If-None-Match wins over If-Modified-Since. */
function notModified(req: IncomingMessage, etag: string, lastModifiedMs: number): boolean {
  const inm = req.headers["if-none-match"];
  if (inm !== undefined) {
    return inm.trim() === "*" || inm.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
  }
  const ims = req.headers["if-modified-since"];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Math.floor(lastModifiedMs / 1000) * 1000 <= since;
}

/**
 * A short plain-text response. `close` ends the connection afterwards: an upload refused before
 * its body was read must not make the server read (and throw away) the whole body.
 */
function reply(res: ServerResponse, status: number, text: string, headers: Headers = {}, close = false): void {
  const body = `${text}\n`;
  res.writeHead(status, {
    ...COMMON,
    ...headers,
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    ...(close ? { Connection: "close" } : {}),
  });
  res.end(body);
}
