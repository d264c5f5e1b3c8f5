// Server side of SCRAM-SHA-1 / SCRAM-SHA-256 and their -PLUS variants (RFC 5802, RFC 7677,
// channel binding per RFC 5802 §6 and RFC 9266). Two round trips:
//   client-first  → server-first (nonce, salt, iterations)
//   client-final  → success carrying v=ServerSignature, or failure.
import { randomBytes } from "node:crypto";
import type { ScramCredentials, ScramHash } from "../auth/types.js";
import { randomBase64 } from "../stream/random-pool.js";
import { authzidNamesUser, prepareAuthcid } from "./identity.js";
import { DEFAULT_ITERATIONS, H, SALT_BYTES, digestLength, hmac, safeEqual, xor } from "./scram-crypto.js";
import { decodeUtf8, parseClientFinal, parseClientFirst, type ClientFirst } from "./scram-messages.js";
import {
  availableChannelBindings,
  failure,
  type SaslContext,
  type SaslMechanism,
  type SaslSession,
  type SaslStep,
} from "./types.js";

export interface ScramOptions {
  /** The server's part of the nonce. Default: 24 random bytes, base64. Injectable for RFC vectors. */
  randomNonce?: () => string;
  /**
   * Key for the fake salt and keys of unknown users. Default: one random key per process. A server
   * that wants fake salts to survive restarts (as real ones do) passes a persisted secret.
   */
  fakeSecret?: Buffer;
}

const SERVER_NONCE_BYTES = 24;
// Module constant, not per mechanism instance: mechanism lists may be built per connection, and the
// fake salt of an unknown user must not change between attempts (a real account's never does).
const PROCESS_FAKE_SECRET = randomBytes(32);

function defaultNonce(): string {
  // Pooled: one getrandom() per 4 KiB instead of one per login (src/stream/random-pool.ts).
  return randomBase64(SERVER_NONCE_BYTES);
}

export class ScramMechanism implements SaslMechanism {
  readonly name: string;

  constructor(
    readonly hash: ScramHash,
    readonly plus: boolean = false,
    private readonly options: ScramOptions = {},
  ) {
    this.name = `SCRAM-${hash}${plus ? "-PLUS" : ""}`;
  }

  available(ctx: SaslContext): boolean {
    if (ctx.provider.supportsScram === false) return false;
    return !this.plus || availableChannelBindings(ctx).length > 0;
  }

  start(ctx: SaslContext): SaslSession {
    return new ScramSession(this.hash, this.plus, ctx, this.options);
  }
}

/** Keys the final message is checked against; fake ones for a user that does not exist. */
interface Keys {
  storedKey: Buffer;
  serverKey: Buffer;
  genuine: boolean;
}

type State =
  | { phase: "first"; emptyChallengeSent: boolean }
  | { phase: "final"; username: string; nonce: string; authPrefix: string; expectedCb: Buffer; keys: Keys }
  | { phase: "done" };

class ScramSession implements SaslSession {
  private state: State = { phase: "first", emptyChallengeSent: false };

  constructor(
    private readonly hash: ScramHash,
    private readonly plus: boolean,
    private readonly ctx: SaslContext,
    private readonly options: ScramOptions,
  ) {}

  async step(response: Buffer): Promise<SaslStep> {
    const state = this.state;
    // Whatever happens, a session answers at most one client-first and one client-final.
    if (state.phase !== "first" || response.length > 0) this.state = { phase: "done" };
    try {
      switch (state.phase) {
        case "first":
          return this.first(response, state.emptyChallengeSent);
        case "final":
          return this.final(response, state);
        case "done":
          return failure("malformed-request", "the exchange is already over");
      }
    } catch {
      // A provider or storage failure: the user may retry, and nothing is revealed.
      this.state = { phase: "done" };
      return failure("temporary-auth-failure");
    }
  }

  private first(response: Buffer, emptyChallengeSent: boolean): SaslStep {
    if (response.length === 0) {
      // No initial response: RFC 4422 §5 has the server send an empty challenge, once.
      if (emptyChallengeSent) {
        this.state = { phase: "done" };
        return failure("malformed-request", "empty client-first message");
      }
      this.state = { phase: "first", emptyChallengeSent: true };
      return { kind: "challenge", data: Buffer.alloc(0) };
    }
    const text = decodeUtf8(response);
    if (text === undefined) return failure("malformed-request", "client-first message is not UTF-8");
    const parsed = parseClientFirst(text);
    if (!parsed.ok) return failure(parsed.condition, parsed.text);
    const msg = parsed.value;

    const cb = this.channelBindingData(msg);
    if (cb.kind === "failure") return cb;

    const name = prepareAuthcid(msg.username);
    if (!name.ok) {
      return name.reason === "saslprep" ? failure("malformed-request", "username rejected by SASLprep") : failure("not-authorized");
    }
    if (msg.gs2.authzid !== undefined && !authzidNamesUser(msg.gs2.authzid, name.username, this.ctx)) {
      return failure("invalid-authzid", "authzid must name the authenticating user", name.username);
    }

    const stored = this.ctx.provider.getScramCredentials(name.username, this.hash);
    const real = stored === undefined ? undefined : decodeCredentials(stored, this.hash);
    const salt = real?.salt ?? this.fakeBytes("salt", name.username).subarray(0, SALT_BYTES);
    const iterations = real?.iterations ?? this.ctx.provider.scramIterations?.(this.hash) ?? DEFAULT_ITERATIONS;
    const keys: Keys = real ?? {
      storedKey: this.fakeBytes("stored-key", name.username),
      serverKey: this.fakeBytes("server-key", name.username),
      genuine: false,
    };

    const nonce = msg.nonce + (this.options.randomNonce ?? defaultNonce)();
    const serverFirst = `r=${nonce},s=${salt.toString("base64")},i=${iterations}`;
    this.state = {
      phase: "final",
      username: name.username,
      nonce,
      authPrefix: `${msg.bare},${serverFirst},`,
      expectedCb: Buffer.concat([Buffer.from(msg.gs2.raw, "utf8"), cb.data]),
      keys,
    };
    return { kind: "challenge", data: Buffer.from(serverFirst, "utf8") };
  }

  /** Applies RFC 5802 §6 to the gs2 flag; returns the bytes the client must bind (after the header). */
  private channelBindingData(msg: ClientFirst): { kind: "ok"; data: Buffer } | ReturnType<typeof failure> {
    const { flag, cbName } = msg.gs2;
    if (!this.plus) {
      if (flag === "p") return failure("malformed-request", "channel-binding-not-supported");
      // "y": the client could bind but believes we cannot. If we offered -PLUS, someone removed it.
      const plusOffered = this.ctx.plusAdvertised ?? availableChannelBindings(this.ctx).length > 0;
      if (flag === "y" && plusOffered) return failure("not-authorized", "server-does-support-channel-binding");
      return { kind: "ok", data: Buffer.alloc(0) };
    }
    if (flag !== "p") return failure("malformed-request", "a -PLUS mechanism needs channel binding (p=)");
    const type = availableChannelBindings(this.ctx).find((t) => t === cbName);
    const data = type === undefined ? undefined : this.ctx.channelBindings?.[type];
    if (data === undefined) return failure("not-authorized", "unsupported-channel-binding-type");
    return { kind: "ok", data };
  }

  private final(response: Buffer, state: State & { phase: "final" }): SaslStep {
    const text = decodeUtf8(response);
    if (text === undefined) return failure("malformed-request", "client-final message is not UTF-8", state.username);
    const parsed = parseClientFinal(text);
    if (!parsed.ok) return failure(parsed.condition, parsed.text, state.username);
    const msg = parsed.value;
    const user = state.username;
    if (msg.nonce !== state.nonce) return failure("malformed-request", "nonce mismatch", user);
    if (!safeEqual(msg.channelBinding, state.expectedCb)) return failure("not-authorized", "channel-bindings-dont-match", user);
    if (msg.proof.length !== digestLength(this.hash)) return failure("malformed-request", "proof has the wrong length", user);

    // The same work for fake keys as for real ones, so an unknown user fails like a wrong password.
    const authMessage = Buffer.from(state.authPrefix + msg.withoutProof, "utf8");
    const clientSignature = hmac(this.hash, state.keys.storedKey, authMessage);
    const clientKey = xor(msg.proof, clientSignature);
    const proofOk = safeEqual(H(this.hash, clientKey), state.keys.storedKey);
    if (!proofOk || !state.keys.genuine) return failure("not-authorized", "invalid-proof", user);

    const serverSignature = hmac(this.hash, state.keys.serverKey, authMessage);
    return { kind: "success", username: state.username, data: Buffer.from(`v=${serverSignature.toString("base64")}`, "utf8") };
  }

  private fakeBytes(label: string, username: string): Buffer {
    return hmac(this.hash, this.options.fakeSecret ?? PROCESS_FAKE_SECRET, `${label}\0${this.hash}\0${username}`);
  }
}

/** Stored credentials as bytes; a corrupt record is a server problem, not the client's. */
function decodeCredentials(c: ScramCredentials, hash: ScramHash): (Keys & { salt: Buffer; iterations: number }) {
  const salt = Buffer.from(c.salt, "base64");
  const storedKey = Buffer.from(c.storedKey, "base64");
  const serverKey = Buffer.from(c.serverKey, "base64");
  const size = digestLength(hash);
  if (salt.length === 0 || !Number.isInteger(c.iterations) || c.iterations < 1 || storedKey.length !== size || serverKey.length !== size) {
    throw new Error("corrupt SCRAM credentials");
  }
  return { salt, iterations: c.iterations, storedKey, serverKey, genuine: true };
}
