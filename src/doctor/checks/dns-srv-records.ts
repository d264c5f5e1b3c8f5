// dns.srv-records: each SRV record set is there when clients or servers need it (RFC 6120 3.2,
// XEP-0368), may be left out when the fallback (the owner's own A/AAAA on the default port)
// reaches the listener, and a lone "." target (RFC 2782) is read as "deliberately disabled".
import { FALLBACK_PORT, type SrvExpectation } from "../dns/plan.js";
import type { DnsContext } from "../dns/context.js";
import { describeRecords, plural, users } from "../dns/records.js";
import { disabledSrvLine, fqdn, newSrvLine } from "../dns/zone.js";
import type { SrvRecord } from "../../dns/resolver.js";
import { isDisabledService } from "../../dns/srv.js";
import { fail, ok, warn, type Check, type CheckResult } from "../types.js";

export function srvRecordsCheck(exp: SrvExpectation): Check<DnsContext> {
  return {
    id: "dns.srv-records",
    title: "SRV records present where needed",
    subject: exp.name,
    async run(ctx) {
      const { records } = await ctx.srv(exp.name);
      if (isDisabledService(records)) return disabled(ctx, exp);
      if (records.length > 0) return present(exp, records);
      return await absent(ctx, exp);
    },
  };
}

async function disabled(ctx: DnsContext, exp: SrvExpectation): Promise<CheckResult> {
  if (exp.port === undefined) return ok(`target ".": service deliberately disabled (chatctl does not serve it either: ${exp.notServed})`);
  const target = await ctx.fixTarget();
  return {
    status: exp.missing.status,
    detail: `target ".": service deliberately disabled, but ${exp.listener} serves it on port ${exp.port}; ${exp.missing.consequence}`,
    hint: `if the service should be offered, replace the "." record with the line below; if not, disable ${exp.listener}`,
    fix: [newSrvLine(exp.name, exp.port, target)],
  };
}

function present(exp: SrvExpectation, records: readonly SrvRecord[]): CheckResult {
  const listed = `${plural(records.length, "record")}: ${describeRecords(records)}`;
  if (records.some((r) => r.target === ".")) {
    return warn(`${listed}; a "." target is only meaningful as the sole record (RFC 2782)`, {
      hint: `delete the record with target "." from the ${fqdn(exp.name)} set`,
    });
  }
  if (exp.port === undefined) {
    return warn(`${listed}, but chatctl does not serve this (${exp.notServed})`, {
      hint: `${users(exp)} will try these targets and fail: delete the records, or publish "." to say the service is not offered`,
      fix: [disabledSrvLine(exp.name)],
    });
  }
  return ok(listed);
}

async function absent(ctx: DnsContext, exp: SrvExpectation): Promise<CheckResult> {
  if (exp.port === undefined) return ok(`no record, and none needed: ${exp.notServed}`);
  const target = await ctx.fixTarget();
  const targetFix = await withAddresses(ctx, target);
  const fix = [newSrvLine(exp.name, exp.port, target), ...targetFix];
  const fallback = FALLBACK_PORT[exp.service];

  if (fallback === exp.port) {
    const own = await ctx.addresses(exp.owner);
    const addresses = [...own.v4, ...own.v6];
    if (addresses.length > 0) {
      return ok(`no SRV record: ${users(exp)} fall back to ${exp.owner}:${fallback} (${addresses.join(", ")}), where ${exp.listener} listens`, {
        hint: `optional, but publishing it lets you move the service later; this assumes ${exp.owner} points at this server`,
        fix,
      });
    }
    return fail(`no SRV record, and ${exp.owner} has no A/AAAA record to fall back to: ${exp.missing.consequence}`, {
      hint: `add to the DNS zone of ${ctx.plan.domain}:`,
      fix,
    });
  }
  const why = fallback !== undefined
    ? `without it ${users(exp)} try port ${fallback}, but ${exp.listener} listens on ${exp.port}`
    : exp.missing.consequence;
  const status = fallback !== undefined ? "fail" : exp.missing.status;
  return { status, detail: `no SRV record: ${why}`, hint: `add to the DNS zone of ${ctx.plan.domain}:`, fix };
}

/** The lines giving `target` addresses, when it has none yet. */
async function withAddresses(ctx: DnsContext, target: string): Promise<string[]> {
  const found = await ctx.addresses(target);
  return found.v4.length + found.v6.length > 0 ? [] : ctx.addressFix(target);
}
