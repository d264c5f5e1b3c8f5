// The built-in account database: SCRAM-SHA-1 and SCRAM-SHA-256 salted credentials per account
// (never the password, nor anything it can be recovered from), plus group membership.
import { randomBytes } from "node:crypto";
import { UsageError } from "../errors.js";
import { saslprep } from "../jid/prep.js";
import { DEFAULT_ITERATIONS, SALT_BYTES, deriveScramCredentials, safeEqual, saltedPasswordAsync, storedKeyOf } from "../sasl/scram-crypto.js";
import type { KeyValueStore, MapStore } from "../storage/types.js";
import { invalidUsernameError, userExistsError, userNotFoundError } from "./errors.js";
import type { AuthProvider, ScramCredentials, ScramHash } from "./types.js";
import { prepareUsername } from "./username.js";

/** ScramCredentials as stored (a type literal so it is a storage Json value). */
export type StoredScramCredentials = { salt: string; iterations: number; storedKey: string; serverKey: string };

/** One account in the `accounts` keyval store, keyed by the prepared username. */
export type AccountRecord = {
  /** Creation time, milliseconds since the epoch. */
  created: number;
  scram: { "SHA-1": StoredScramCredentials; "SHA-256": StoredScramCredentials };
};

/** Group membership, keyed by user then group name (value always true). Per user, so deleting a
 *  user's data everywhere (StorageBackend.deleteUser) also drops their memberships. */
export type GroupStore = MapStore<true>;

export interface InternalAuthOptions {
  /** PBKDF2 iterations for new credentials, one number for both hashes or per hash. Default 4096. */
  iterations?: number | Partial<Record<ScramHash, number>>;
  /** Where memberships live; default an in-memory store (lost on restart). */
  groups?: GroupStore;
  /** Clock for `created`; injectable for tests. */
  now?: () => number;
}

const HASHES: readonly ScramHash[] = ["SHA-1", "SHA-256"];
/** Hash used by verify(): the stronger one. */
const VERIFY_HASH: ScramHash = "SHA-256";

export class InternalAuthProvider implements AuthProvider {
  readonly name = "internal";
  readonly supportsScram = true;
  private readonly iterations: Record<ScramHash, number>;
  private readonly groupStore: GroupStore;
  private readonly now: () => number;
  /** Salt for the password check run when verify() is asked about a user who does not exist. */
  private readonly decoySalt = randomBytes(SALT_BYTES);

  constructor(
    private readonly accounts: KeyValueStore<AccountRecord>,
    options: InternalAuthOptions = {},
  ) {
    const it = options.iterations;
    this.iterations = {
      "SHA-1": typeof it === "number" ? it : (it?.["SHA-1"] ?? DEFAULT_ITERATIONS),
      "SHA-256": typeof it === "number" ? it : (it?.["SHA-256"] ?? DEFAULT_ITERATIONS),
    };
    for (const hash of HASHES) {
      const n = this.iterations[hash];
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`SCRAM ${hash} iteration count must be a positive integer, got ${n}`);
    }
    this.groupStore = options.groups ?? new MemoryGroupStore();
    this.now = options.now ?? Date.now;
  }

  scramIterations(hash: ScramHash): number {
    return this.iterations[hash];
  }

  getScramCredentials(user: string, hash: ScramHash): ScramCredentials | undefined {
    const name = prepareUsername(user);
    const stored = name === undefined ? undefined : this.accounts.get(name)?.scram[hash];
    return stored === undefined ? undefined : { ...stored };
  }

  async verify(user: string, password: string): Promise<boolean> {
    const name = prepareUsername(user);
    if (name === undefined) return false;
    let prepared: string;
    try {
      prepared = saslprep(password);
    } catch {
      return false;
    }
    const stored = this.accounts.get(name)?.scram[VERIFY_HASH];
    // An unknown user costs the same PBKDF2 work as a known one, so timing does not tell them apart.
    const salt = stored ? Buffer.from(stored.salt, "base64") : this.decoySalt;
    const iterations = stored?.iterations ?? this.iterations[VERIFY_HASH];
    const salted = await saltedPasswordAsync(prepared, VERIFY_HASH, salt, iterations);
    const candidate = storedKeyOf(VERIFY_HASH, salted);
    const expected = stored ? Buffer.from(stored.storedKey, "base64") : Buffer.alloc(candidate.length);
    return safeEqual(candidate, expected) && stored !== undefined;
  }

  userExists(user: string): boolean {
    const name = prepareUsername(user);
    return name !== undefined && this.accounts.get(name) !== undefined;
  }

  createUser(user: string, password: string): void {
    const name = this.requireValidName(user);
    if (this.accounts.get(name) !== undefined) throw userExistsError(name);
    this.accounts.set(name, { created: this.now(), scram: this.credentialsFor(password) });
  }

  setPassword(user: string, password: string): void {
    const name = this.requireValidName(user);
    const record = this.accounts.get(name);
    if (record === undefined) throw userNotFoundError(name);
    this.accounts.set(name, { ...record, scram: this.credentialsFor(password) });
  }

  deleteUser(user: string): void {
    const name = this.requireValidName(user);
    if (this.accounts.get(name) === undefined) throw userNotFoundError(name);
    this.accounts.set(name, undefined);
    this.groupStore.deleteUser(name);
  }

  listUsers(): string[] {
    return this.accounts.users().sort();
  }

  groups(user: string): string[] {
    const name = prepareUsername(user);
    return name === undefined ? [] : [...this.groupStore.getAll(name).keys()].sort();
  }

  /** Adds an existing user to a group (e.g. "jabberadmins"); idempotent. */
  addToGroup(user: string, group: string): void {
    const name = this.requireValidName(user);
    if (this.accounts.get(name) === undefined) throw userNotFoundError(name);
    this.groupStore.set(name, requireGroupName(group), true);
  }

  /** Returns whether the user was a member. */
  removeFromGroup(user: string, group: string): boolean {
    const name = this.requireValidName(user);
    const groupName = requireGroupName(group);
    const wasMember = this.groupStore.get(name, groupName) === true;
    if (wasMember) this.groupStore.set(name, groupName, undefined);
    return wasMember;
  }

  groupMembers(group: string): string[] {
    const groupName = requireGroupName(group);
    return this.groupStore.users().filter((u) => this.groupStore.get(u, groupName) === true).sort();
  }

  private requireValidName(user: string): string {
    const name = prepareUsername(user);
    if (name === undefined) throw invalidUsernameError(user);
    return name;
  }

  private credentialsFor(password: string): AccountRecord["scram"] {
    if (password === "") throw new UsageError("the password is empty");
    try {
      saslprep(password);
    } catch {
      throw new UsageError("the password contains characters SASLprep does not allow (control or unassigned characters)");
    }
    // A separate salt per hash: the two stored keys share nothing but the password.
    return {
      "SHA-1": deriveScramCredentials(password, "SHA-1", this.iterations["SHA-1"]),
      "SHA-256": deriveScramCredentials(password, "SHA-256", this.iterations["SHA-256"]),
    };
  }
}

function requireGroupName(group: string): string {
  const name = group.trim();
  if (name === "" || name !== group) throw new UsageError(`${JSON.stringify(group)} is not a valid group name`, "group names are non-empty and have no leading or trailing spaces");
  return name;
}

/** Fallback when no persistent group store is given. */
class MemoryGroupStore implements GroupStore {
  private readonly data = new Map<string, Map<string, true>>();

  get(user: string, key: string): true | undefined {
    return this.data.get(user)?.get(key);
  }

  set(user: string, key: string, value: true | undefined): void {
    this.setMany(user, [[key, value]]);
  }

  getAll(user: string): Map<string, true> {
    return new Map(this.data.get(user));
  }

  setMany(user: string, entries: Iterable<[string, true | undefined]>): void {
    const groups = this.data.get(user) ?? new Map<string, true>();
    for (const [key, value] of entries) {
      if (value === undefined) groups.delete(key);
      else groups.set(key, value);
    }
    if (groups.size === 0) this.data.delete(user);
    else this.data.set(user, groups);
  }

  deleteUser(user: string): void {
    this.data.delete(user);
  }

  users(): string[] {
    return [...this.data.keys()];
  }
}
