// The shape of a doctor check (STYLE-ANCHORS §4.5-4): a small object with a stable id, a title
// and a run(ctx) that returns its finding. A check looks at one thing; checks that apply to
// several names (one per SRV record set, one per listener) are built once per subject.

export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface CheckResult {
  status: CheckStatus;
  /** What was found, in one line. */
  detail: string;
  /** What to do about it. */
  hint?: string;
  /** Exact lines that fix it: zone-file records or shell commands, ready to paste. */
  fix?: string[];
}

export interface Check<C> {
  /** Stable and documented in chatctl-doctor(1), e.g. "dns.srv-ports"; scripts match on it. */
  id: string;
  title: string;
  /** What this instance looks at, when the check applies to several things. */
  subject?: string;
  /**
   * The finding, or undefined when there is nothing for this check to look at here (no SRV
   * record to compare ports with): such checks are left out of the report.
   */
  run(ctx: C): Promise<CheckResult | undefined>;
}

/** One row of the report. */
export interface CheckOutcome extends CheckResult {
  id: string;
  title: string;
  subject?: string;
}

/**
 * Thrown by a context helper when a check cannot go on and already knows its result: the
 * resolver did not answer, the certificate could not be read (later checks then skip). An
 * undefined result leaves the check out of the report, like a run() that returns undefined.
 */
export class CheckAbort extends Error {
  constructor(readonly result: CheckResult | undefined) {
    super(result?.detail ?? "check left out");
    this.name = "CheckAbort";
  }
}

export function ok(detail: string, extra: Omit<CheckResult, "status" | "detail"> = {}): CheckResult {
  return { status: "ok", detail, ...extra };
}

export function warn(detail: string, extra: Omit<CheckResult, "status" | "detail"> = {}): CheckResult {
  return { status: "warn", detail, ...extra };
}

export function fail(detail: string, extra: Omit<CheckResult, "status" | "detail"> = {}): CheckResult {
  return { status: "fail", detail, ...extra };
}

export function skip(detail: string, extra: Omit<CheckResult, "status" | "detail"> = {}): CheckResult {
  return { status: "skip", detail, ...extra };
}
