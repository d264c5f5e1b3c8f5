// cert.validity: the certificate is valid now and for a while: fail when expired, not yet valid
// or expiring within a day; warn within 14 days (renewal should have happened by then: certbot
// renews 30 days ahead).
import type { CertContext } from "../cert/context.js";
import { formatDate } from "../cert/describe.js";
import { fail, ok, warn, type Check } from "../types.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const EXPIRY_FAIL_DAYS = 1;
export const EXPIRY_WARN_DAYS = 14;

export const certValidityCheck: Check<CertContext> = {
  id: "cert.validity",
  title: "Certificate within its validity period",
  async run(ctx) {
    const leaf = (await ctx.certificate()).chain[0]!;
    const from = new Date(leaf.validFrom);
    const to = new Date(leaf.validTo);
    const now = ctx.now.getTime();
    const renew = { hint: "renew it (certbot renew), then send chatctl SIGHUP to load it without a restart" };
    if (from.getTime() > now) {
      return fail(`not valid before ${formatDate(from)} (now ${formatDate(ctx.now)})`, {
        hint: "check this host's clock (timedatectl), or the clock of the machine that issued the certificate",
      });
    }
    if (to.getTime() <= now) return fail(`expired on ${formatDate(to)}`, renew);
    const left = to.getTime() - now;
    if (left < EXPIRY_FAIL_DAYS * DAY_MS) return fail(`expires in ${Math.max(1, Math.floor(left / HOUR_MS))} hours (${formatDate(to)})`, renew);
    const days = Math.floor(left / DAY_MS);
    if (days < EXPIRY_WARN_DAYS) return warn(`expires in ${days} days (${formatDate(to)})`, renew);
    return ok(`valid until ${formatDate(to)} (${days} days)`);
  },
};
