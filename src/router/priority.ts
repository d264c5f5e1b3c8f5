// Named priorities: never a bare number in a hook registration (STYLE-ANCHORS §4.5-2).
export const Priority = {
  /** Protocol guards that must see a stanza before anything else (validation, blocking). */
  GUARD: 1000,
  /** Policies that may veto or rewrite (privacy, rate limits). */
  POLICY: 500,
  /** Observers and filters that rarely claim (archiving, carbons). */
  FILTER: 100,
  /** The normal handler of an event. */
  DEFAULT: 0,
  /** Fallbacks when nobody else handled the event (offline storage). */
  FALLBACK: -1,
  /** The very last resort (the error reply nobody else sent). */
  LAST_RESORT: -10,
} as const;
