// A JID as a prepared, immutable value (RFC 7622 §3). Parsing prepares every part, so two Jid
// objects for the same address always compare equal by string.
import { nameprep, nodeprep, resourceprep } from "./prep.js";

export class JidError extends Error {
  override readonly name = "JidError";
  constructor(readonly input: string, reason: string, options?: ErrorOptions) {
    super(`invalid JID ${JSON.stringify(input)}: ${reason}`, options);
  }
}

/** RFC 7622 §3.2: one final label separator is stripped; IDNA counts these four as full stops. */
function isLabelSeparator(c: number): boolean {
  return c === 0x2e || c === 0x3002 || c === 0xff0e || c === 0xff61;
}

/**
 * Parsed JIDs by input text. Preparation (stringprep) is the costly part of routing a stanza
 * (about 2% of the server's CPU per message in bench W3) and the same few addresses recur, so the
 * last CACHE_MAX distinct inputs are remembered; a Jid is immutable, so sharing one is safe.
 * Oldest-first eviction keeps the hit path to one Map lookup.
 */
const CACHE_MAX = 4096;
/** Longer inputs are rare and not worth a cache slot. */
const CACHE_MAX_INPUT = 256;
const parsed = new Map<string, Jid>();

/**
 * A copy of `s` that does not share memory with a larger string. Text the XML parser hands out
 * is a slice of a whole network read, which a long-lived slice would keep alive.
 */
function detached(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, "utf8").toString("utf8");
}

export class Jid {
  /** The string form, built on first use (toString() runs for every routed stanza). */
  #text: string | undefined;

  private constructor(
    readonly local: string,
    readonly domain: string,
    readonly resource: string,
  ) {}

  /** Parses and prepares; throws JidError when the address is not a valid JID. */
  static parse(input: string): Jid {
    const hit = parsed.get(input);
    if (hit !== undefined) return hit;
    const jid = Jid.parseUncached(input);
    if (input.length <= CACHE_MAX_INPUT) {
      if (parsed.size >= CACHE_MAX) parsed.delete(parsed.keys().next().value!);
      const kept = new Jid(detached(jid.local), detached(jid.domain), detached(jid.resource));
      parsed.set(detached(input), kept);
      return kept;
    }
    return jid;
  }

  private static parseUncached(input: string): Jid {
    let rest = input;
    let resource = "";
    const slash = rest.indexOf("/");
    if (slash >= 0) {
      resource = rest.slice(slash + 1);
      rest = rest.slice(0, slash);
      if (resource === "") throw new JidError(input, "empty resource");
    }
    let local = "";
    const at = rest.indexOf("@");
    if (at >= 0) {
      local = rest.slice(0, at);
      rest = rest.slice(at + 1);
      if (local === "") throw new JidError(input, "empty localpart");
    }
    let domain = isLabelSeparator(rest.charCodeAt(rest.length - 1)) ? rest.slice(0, -1) : rest;
    if (domain === "") throw new JidError(input, "empty domain");
    try {
      local = local && nodeprep(local);
      domain = nameprep(domain);
      resource = resource && resourceprep(resource);
    } catch (err) {
      throw new JidError(input, (err as Error).message, { cause: err });
    }
    // The prep functions refuse empty results and parts over 1023 bytes (RFC 7622 §3.1).
    return new Jid(local, domain, resource);
  }

  /** Like parse, but returns undefined instead of throwing. */
  static tryParse(input: string | undefined): Jid | undefined {
    if (input === undefined) return undefined;
    try {
      return Jid.parse(input);
    } catch {
      return undefined;
    }
  }

  /** Builds from already-prepared parts (e.g. values read back from our own storage). */
  static of(local: string, domain: string, resource = ""): Jid {
    return new Jid(local, domain, resource);
  }

  get isBare(): boolean {
    return this.resource === "";
  }

  /** A server or service address: no localpart. */
  get isDomain(): boolean {
    return this.local === "" && this.resource === "";
  }

  bare(): Jid {
    return this.resource === "" ? this : new Jid(this.local, this.domain, "");
  }

  /**
   * The same bare address with another resource, prepared with resourceprep (so a client-chosen
   * resource cannot bypass preparation); "" gives the bare JID. Throws JidError when invalid.
   */
  withResource(resource: string): Jid {
    if (resource === "") return this.bare();
    let prepared: string;
    try {
      prepared = resourceprep(resource);
    } catch (err) {
      throw new JidError(`${this.bare().toString()}/${resource}`, (err as Error).message, { cause: err });
    }
    return prepared === this.resource ? this : new Jid(this.local, this.domain, prepared);
  }

  equals(other: Jid | undefined): boolean {
    return other !== undefined && other.local === this.local && other.domain === this.domain && other.resource === this.resource;
  }

  toString(): string {
    if (this.#text !== undefined) return this.#text;
    let s = this.domain;
    if (this.local) s = this.local + "@" + s;
    if (this.resource) s += "/" + this.resource;
    this.#text = s;
    return s;
  }

  toJSON(): string {
    return this.toString();
  }
}
