// PLAIN (RFC 4616): one client message "authzid NUL authcid NUL passwd", checked by the provider.
// The password crosses the wire as is, so the mechanism exists only under TLS.
import { authzidNamesUser, prepareAuthcid } from "./identity.js";
import { decodeUtf8 } from "./scram-messages.js";
import { failure, type SaslContext, type SaslMechanism, type SaslSession, type SaslStep } from "./types.js";

/** RFC 4616 §2: authcid and passwd are 1 to 255 octets. */
const MAX_FIELD_BYTES = 255;

export class PlainMechanism implements SaslMechanism {
  readonly name = "PLAIN";

  available(ctx: SaslContext): boolean {
    return ctx.secure;
  }

  start(ctx: SaslContext): SaslSession {
    return new PlainSession(ctx);
  }
}

class PlainSession implements SaslSession {
  private phase: "initial" | "awaiting-response" | "done" = "initial";

  constructor(private readonly ctx: SaslContext) {}

  async step(response: Buffer): Promise<SaslStep> {
    if (!this.ctx.secure) {
      this.phase = "done";
      return failure("encryption-required", "PLAIN is only offered over TLS");
    }
    if (this.phase === "done") return failure("malformed-request", "the exchange is already over");
    if (this.phase === "initial" && response.length === 0) {
      // No initial response: ask for the message with an empty challenge (RFC 4422 §5).
      this.phase = "awaiting-response";
      return { kind: "challenge", data: Buffer.alloc(0) };
    }
    this.phase = "done";
    try {
      return await this.check(response);
    } catch {
      return failure("temporary-auth-failure");
    }
  }

  private async check(response: Buffer): Promise<SaslStep> {
    const text = decodeUtf8(response);
    if (text === undefined) return failure("malformed-request", "PLAIN message is not UTF-8");
    const fields = text.split("\0");
    if (fields.length !== 3) return failure("malformed-request", "PLAIN message must have three NUL-separated fields");
    const [authzid = "", authcid = "", password = ""] = fields;
    for (const field of [authcid, password]) {
      const bytes = Buffer.byteLength(field);
      if (bytes === 0 || bytes > MAX_FIELD_BYTES) return failure("malformed-request", "authcid and password must be 1 to 255 bytes");
    }
    const name = prepareAuthcid(authcid);
    if (!name.ok) {
      return name.reason === "saslprep" ? failure("malformed-request", "username rejected by SASLprep") : failure("not-authorized");
    }
    if (authzid !== "" && !authzidNamesUser(authzid, name.username, this.ctx)) {
      return failure("invalid-authzid", "authzid must name the authenticating user", name.username);
    }
    // The provider SASLpreps the password itself (it knows how its secrets were stored).
    if (!(await this.ctx.provider.verify(name.username, password))) return failure("not-authorized", undefined, name.username);
    return { kind: "success", username: name.username };
  }
}
