// Test doubles for the SASL tests: a provider with fixed passwords and a driver for exchanges.
import type { AuthProvider, ScramCredentials, ScramHash } from "../../../src/auth/types.js";
import { deriveScramCredentials } from "../../../src/sasl/scram-crypto.js";
import type { SaslContext, SaslMechanism, SaslStep } from "../../../src/sasl/types.js";
import type { ScramClient } from "./scram-client.js";

/** Accounts with known passwords; SCRAM credentials derived once per user and hash. */
export class FixedProvider implements AuthProvider {
  readonly name = "fixed";
  readonly verifyCalls: Array<[string, string]> = [];
  /** When set, every call throws it (a storage outage). */
  failWith: Error | undefined;
  private readonly creds = new Map<string, ScramCredentials>();

  constructor(
    private readonly passwords: Record<string, string>,
    private readonly iterations = 4096,
    /** Fixed salts per user (base64), for RFC vectors. */
    private readonly salts: Record<string, string> = {},
  ) {}

  getScramCredentials(user: string, hash: ScramHash): ScramCredentials | undefined {
    if (this.failWith) throw this.failWith;
    const password = this.passwords[user];
    if (password === undefined) return undefined;
    const key = `${hash}\0${user}`;
    let c = this.creds.get(key);
    if (c === undefined) {
      const salt = this.salts[user];
      c = deriveScramCredentials(password, hash, this.iterations, salt === undefined ? undefined : Buffer.from(salt, "base64"));
      this.creds.set(key, c);
    }
    return c;
  }

  scramIterations(): number {
    return this.iterations;
  }

  async verify(user: string, password: string): Promise<boolean> {
    if (this.failWith) throw this.failWith;
    this.verifyCalls.push([user, password]);
    return this.passwords[user] === password;
  }

  userExists(user: string): boolean {
    return user in this.passwords;
  }
  createUser(): void {
    throw new Error("not used");
  }
  setPassword(): void {
    throw new Error("not used");
  }
  deleteUser(): void {
    throw new Error("not used");
  }
  listUsers(): string[] {
    return Object.keys(this.passwords);
  }
  groups(): string[] {
    return [];
  }
}

export function context(provider: AuthProvider, extra: Partial<SaslContext> = {}): SaslContext {
  return { secure: true, provider, ...extra };
}

/** Runs a complete SCRAM exchange and returns every server step. */
export async function runScram(mech: SaslMechanism, ctx: SaslContext, client: ScramClient): Promise<{ first: SaslStep; last: SaslStep }> {
  const session = mech.start(ctx);
  const first = await session.step(client.first());
  if (first.kind !== "challenge") return { first, last: first };
  const last = await session.step(client.final(first.data));
  return { first, last };
}
