// Archiving preferences (XEP-0441, split from XEP-0313): the account's default (always, never,
// roster) and its always/never JID lists, stored per account and consulted for every message
// before it enters that account's archive.
import { Jid } from "../../jid/jid.js";
import { RosterService } from "../../services/roster.js";
import { StanzaError } from "../../stanza/errors.js";
import type { KeyValueStore } from "../../storage/types.js";
import { type Element, x } from "../../xml/element.js";
import { ARCHIVE_NS } from "./ns.js";
import type { DefaultPolicy } from "./options.js";

export interface ArchivePrefs {
  default: DefaultPolicy;
  /** Prepared JIDs, bare or full (XEP-0441 §2.3). */
  always: string[];
  never: string[];
}

/** How preferences are stored (a JSON object per account). */
type StoredPrefs = { default: string; always: string[]; never: string[] };

export const PREFS_STORE = "archive-prefs";

const NO_PREFS_LIMIT = 100_000;

export class PrefsService {
  constructor(
    private readonly store: KeyValueStore<StoredPrefs>,
    private readonly roster: RosterService,
    private readonly defaultPolicy: DefaultPolicy,
  ) {}

  /**
   * Accounts known to have no stored preferences (most accounts never set any). shouldArchive()
   * runs twice per message (sender and recipient), and each store read is a SQLite lookup (about
   * 15 µs per message each in bench W3), so "nothing stored" is remembered. Only set() below adds
   * preferences, and other writers (user deletion) only remove them, so an entry never goes stale
   * as long as one PrefsService serves a store (the mam module's). Bounded: cleared when it
   * reaches NO_PREFS_LIMIT names.
   */
  private readonly noPrefs = new Set<string>();

  get(user: string): ArchivePrefs {
    const stored = this.noPrefs.has(user) ? undefined : this.store.get(user);
    if (!stored || !isPolicy(stored.default)) {
      if (stored === undefined) this.rememberNoPrefs(user);
      return { default: this.defaultPolicy, always: [], never: [] };
    }
    return { default: stored.default, always: [...stored.always], never: [...stored.never] };
  }

  set(user: string, prefs: ArchivePrefs): void {
    this.noPrefs.delete(user);
    this.store.set(user, { default: prefs.default, always: prefs.always, never: prefs.never });
  }

  delete(user: string): void {
    this.store.set(user, undefined);
  }

  private rememberNoPrefs(user: string): void {
    if (this.noPrefs.size >= NO_PREFS_LIMIT) this.noPrefs.clear();
    this.noPrefs.add(user);
  }

  /**
   * XEP-0441 §2.3: should a message between `user` and `other` (the 'to' of an outgoing message,
   * the 'from' of an incoming one) enter the user's archive? A listed full JID matches exactly, a
   * listed bare JID matches any resource; "never" wins over "always" for the user's privacy.
   */
  shouldArchive(user: string, other: Jid): boolean {
    const prefs = this.get(user);
    if (matchesAny(prefs.never, other)) return false;
    if (matchesAny(prefs.always, other)) return true;
    switch (prefs.default) {
      case "always":
        return true;
      case "never":
        return false;
      case "roster": {
        // §2.1.1 "roster": the contact's bare JID is in the user's roster (not a hidden record of an
        // unanswered subscription request, which the user never added).
        const item = this.roster.get(user, other.bare().toString());
        return item !== undefined && item.hidden !== true;
      }
    }
  }
}

function matchesAny(list: readonly string[], target: Jid): boolean {
  if (list.length === 0) return false;
  const full = target.toString();
  const bare = target.bare().toString();
  return list.some((jid) => (jid.includes("/") ? jid === full : jid === bare));
}

function isPolicy(v: unknown): v is DefaultPolicy {
  return v === "always" || v === "never" || v === "roster";
}

/** The <prefs/> payload (§2.1: <always/> and <never/> present even when empty). */
export function renderPrefs(prefs: ArchivePrefs): Element {
  const list = (name: string, jids: readonly string[]) => x(name, null, jids.map((j) => x("jid", null, j)));
  return x("prefs", { xmlns: ARCHIVE_NS.MAM, default: prefs.default }, list("always", prefs.always), list("never", prefs.never));
}

/**
 * Reads a <prefs/> set request. JIDs are prepared and de-duplicated; one listed in both lists
 * is kept only in "never", so the reply shows the preferences as applied (§2.1).
 */
export function parsePrefs(el: Element): ArchivePrefs | StanzaError {
  const policy = el.attrs.default;
  if (!isPolicy(policy)) return new StanzaError("bad-request", "'default' must be always, never or roster");
  const read = (name: string): string[] | StanzaError => {
    const out: string[] = [];
    for (const list of el.getChildren(name).filter((c) => c.attrs.xmlns === undefined || c.attrs.xmlns === ARCHIVE_NS.MAM)) {
      for (const item of list.getChildren("jid")) {
        const jid = Jid.tryParse(item.getText().trim());
        if (!jid) return new StanzaError("jid-malformed", `not a JID: ${item.getText()}`);
        const s = jid.toString();
        if (!out.includes(s)) out.push(s);
      }
    }
    return out;
  };
  const never = read("never");
  if (never instanceof StanzaError) return never;
  const always = read("always");
  if (always instanceof StanzaError) return always;
  return { default: policy, always: always.filter((j) => !never.includes(j)), never };
}
