// What an auth provider answers (DESIGN.md "Auth"). The internal provider keeps SCRAM salted
// keys only; a directory provider (LDAP) will answer verify() and groups() instead.
export type ScramHash = "SHA-1" | "SHA-256";

export interface ScramCredentials {
  /** base64 */
  salt: string;
  iterations: number;
  /** base64 */
  storedKey: string;
  /** base64 */
  serverKey: string;
}

export interface AuthProvider {
  readonly name: string;
  /**
   * False when the provider can never hand out SCRAM credentials (e.g. LDAP bind only): the SCRAM
   * mechanisms are then not offered, so clients are not steered to a mechanism that cannot succeed.
   * Absent means true.
   */
  readonly supportsScram?: boolean;
  /**
   * The iteration count new credentials get for this hash. SASL uses it for the fake exchange it
   * runs for unknown users, so that the challenge looks like a real account's. Absent → 4096.
   */
  scramIterations?(hash: ScramHash): number;
  /** SCRAM credentials for a (prepared) username, or undefined when the user does not exist. */
  getScramCredentials(user: string, hash: ScramHash): ScramCredentials | undefined;
  /** Checks a plaintext password (PLAIN over TLS, LDAP bind …). */
  verify(user: string, password: string): Promise<boolean>;
  userExists(user: string): boolean;
  createUser(user: string, password: string): void;
  setPassword(user: string, password: string): void;
  deleteUser(user: string): void;
  listUsers(): string[];
  groups(user: string): string[];
}
