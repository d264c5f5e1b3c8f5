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
