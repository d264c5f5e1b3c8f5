// Runs checks into one report and decides what it amounts to: the overall status, the exit code
// and the --json document (whose shape is documented in chatctl-doctor(1); change it only by
// bumping REPORT_VERSION).
import { CheckAbort, type Check, type CheckOutcome, type CheckResult, type CheckStatus } from "./types.js";

export const REPORT_VERSION = 1;

export interface Report {
  /** "doctor", "doctor dns" or "doctor cert". */
  command: string;
  domain: string;
  /** Facts about the run shown in the header: the resolvers asked, the certificate read … */
  context: Record<string, string>;
  checks: CheckOutcome[];
}

export interface Summary {
  ok: number;
  warn: number;
  fail: number;
  skip: number;
}

/**
 * Runs the checks one after another, in order: later checks reuse what earlier ones looked up,
 * and a report in a fixed order is easier to read and compare. A check that throws does not stop
 * the others: CheckAbort carries its result, anything else is reported as a failure of the check.
 */
export async function runChecks<C>(checks: readonly Check<C>[], ctx: C): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  for (const check of checks) {
    let result: CheckResult | undefined;
    try {
      result = await check.run(ctx);
    } catch (err) {
      result =
        err instanceof CheckAbort
          ? err.result
          : {
              status: "fail",
              detail: `the check itself failed: ${err instanceof Error ? err.message : String(err)}`,
              hint: "this is a bug in chatctl; please report it with the output of this command",
            };
    }
    if (result === undefined) continue;
    outcomes.push({ id: check.id, title: check.title, ...(check.subject !== undefined ? { subject: check.subject } : {}), ...result });
  }
  return outcomes;
}

export function summarize(checks: readonly CheckOutcome[]): Summary {
  const summary: Summary = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) summary[c.status]++;
  return summary;
}

/** "fail" if anything failed, else "warn" if anything warned, else "ok" (skipped checks do not count). */
export function overallStatus(checks: readonly CheckOutcome[]): Exclude<CheckStatus, "skip"> {
  const s = summarize(checks);
  return s.fail > 0 ? "fail" : s.warn > 0 ? "warn" : "ok";
}

/** 0 when nothing failed (and, with strict, nothing warned); 1 otherwise. */
export function exitCodeOf(checks: readonly CheckOutcome[], strict: boolean): 0 | 1 {
  const status = overallStatus(checks);
  return status === "fail" || (strict && status === "warn") ? 1 : 0;
}

/** The --json document. */
export interface ReportJson {
  version: number;
  command: string;
  domain: string;
  status: Exclude<CheckStatus, "skip">;
  strict: boolean;
  exitCode: 0 | 1;
  summary: Summary;
  context: Record<string, string>;
  checks: CheckOutcome[];
}

export function reportJson(report: Report, strict: boolean): ReportJson {
  return {
    version: REPORT_VERSION,
    command: report.command,
    domain: report.domain,
    status: overallStatus(report.checks),
    strict,
    exitCode: exitCodeOf(report.checks, strict),
    summary: summarize(report.checks),
    context: report.context,
    // Keys in a fixed order, so that diffs of saved reports stay readable.
    checks: report.checks.map((c) => ({
      id: c.id,
      title: c.title,
      ...(c.subject !== undefined ? { subject: c.subject } : {}),
      status: c.status,
      detail: c.detail,
      ...(c.hint !== undefined ? { hint: c.hint } : {}),
      ...(c.fix !== undefined && c.fix.length > 0 ? { fix: c.fix } : {}),
    })),
  };
}
