// Message Archive Management (XEP-0313, urn:xmpp:mam:2 and #extended) for the accounts of this
// host, with archiving preferences (XEP-0441) and stanza ids (XEP-0359), and the daily retention
// job (services/archive-retention.ts).
//
// References:
//   https://xmpp.org/extensions/xep-0313.html   archive, queries, paging, metadata
//   https://xmpp.org/extensions/xep-0441.html   preferences
//   https://xmpp.org/extensions/xep-0359.html   <stanza-id/>
//   https://xmpp.org/extensions/xep-0059.html   result set management
//   https://xmpp.org/extensions/xep-0334.html   storage hints
//
// Hooks: the sender's copy is archived on `pre-message/*` and the recipient's on `message/*`, both
// at Priority.FILTER (after policies that may reject a message, before delivery and offline
// storage) and neither claims the stanza. Queries, metadata and preferences are served for the
// account's own archive only; other accounts' archives are forbidden (§8.1).
import type { StanzaEvent, UserEvent } from "../../router/events.js";
import { Priority } from "../../router/priority.js";
import type { ModuleContext, ServerModule } from "../../server/module-api.js";
import { ROSTER_STORE, ROSTER_VERSION_STORE, RosterService } from "../../services/roster.js";
import { StanzaError } from "../../stanza/errors.js";
import { x } from "../../xml/element.js";
import { Archiver } from "./archiver.js";
import { queryForm } from "./form.js";
import { exposedStorage, maintenanceStorage, MAINTENANCE_EVERY_MS, MAINTENANCE_TICK_MS, runArchiveMaintenance } from "./maintenance.js";
import { ARCHIVE_NS } from "./ns.js";
import { mamOptions, type MamOptions } from "./options.js";
import { parsePrefs, PrefsService, PREFS_STORE, renderPrefs } from "./prefs.js";
import { parseQuery, runQuery } from "./query.js";
import { finElement, metadataElement, resultMessage } from "./results.js";
import { ArchiveWriter } from "./writer.js";

/** The archive store of user archives (also what retention purges by default). */
export const ARCHIVE_STORE = "archive";

export function createMamModule(overrides: Partial<MamOptions> = {}): ServerModule {
  return {
    name: "mam",
    setup(ctx) {
      const options = mamOptions(ctx.config, overrides);
      const archive = ctx.archive(ARCHIVE_STORE);
      const storage = exposedStorage(ctx);
      const writer = new ArchiveWriter(archive, storage ? (fn) => storage.transaction(fn) : undefined, ctx.log);
      ctx.onClose(() => writer.flush());
      const roster = new RosterService(ctx.map(ROSTER_STORE), ctx.keyval(ROSTER_VERSION_STORE));
      const prefs = new PrefsService(ctx.keyval(PREFS_STORE), roster, options.defaultPolicy);
      const archiver = new Archiver(ctx, prefs, writer);

      // §7: advertised on the archiving JIDs, the accounts' bare JIDs.
      ctx.addAccountFeature(ARCHIVE_NS.MAM);
      ctx.addAccountFeature(ARCHIVE_NS.MAM_EXTENDED);

      for (const addr of ["bare", "full", "self", "host"] as const) {
        ctx.hook<StanzaEvent>(`pre-message/${addr}`, (ev) => archiver.outgoing(ev), Priority.FILTER);
      }
      for (const addr of ["bare", "full", "self"] as const) {
        ctx.hook<StanzaEvent>(`message/${addr}`, (ev) => archiver.incoming(ev), Priority.FILTER);
      }

      serveQueries(ctx, options, writer);
      ctx.iq("get", "self", ARCHIVE_NS.MAM, "prefs", ({ from }) => renderPrefs(prefs.get(from.local)));
      ctx.iq("set", "self", ARCHIVE_NS.MAM, "prefs", ({ from, payload }) => {
        const wanted = parsePrefs(payload);
        if (wanted instanceof StanzaError) return wanted;
        prefs.set(from.local, wanted);
        return renderPrefs(wanted);
      });
      // Someone else's archive (§8.1: "the error condition SHOULD be 'forbidden'").
      for (const [type, name] of [["set", "query"], ["get", "query"], ["get", "metadata"], ["get", "prefs"], ["set", "prefs"]] as const) {
        ctx.iq(type, "bare", ARCHIVE_NS.MAM, name, () => new StanzaError("forbidden", "only the account itself may use its archive"));
      }

      ctx.hook<UserEvent>("user-deleted", ({ username }) => {
        writer.flush();
        archive.delete(username);
        prefs.delete(username);
        return undefined;
      });

      scheduleMaintenance(ctx, options, writer);
    },
  };
}

export const mamModule: ServerModule = createMamModule();

function serveQueries(ctx: ModuleContext, options: MamOptions, writer: ArchiveWriter): void {
  const archive = ctx.archive(ARCHIVE_STORE);

  // §4.1.5: the form of supported fields.
  ctx.iq("get", "self", ARCHIVE_NS.MAM, "query", () => x("query", { xmlns: ARCHIVE_NS.MAM }, queryForm()));

  // §4: results go to the querying resource before the IQ result that ends them.
  ctx.iq("set", "self", ARCHIVE_NS.MAM, "query", ({ stanza, payload, from, origin }) => {
    if (!origin) return new StanzaError("forbidden");
    const plan = parseQuery(payload, options);
    if (plan instanceof StanzaError) return plan;
    writer.flush();
    const page = runQuery(archive, from.local, plan);
    if (page instanceof StanzaError) return page;
    const to = from.toString();
    const items = plan.flip ? [...page.items].reverse() : page.items;
    for (const item of items) {
      const msg = resultMessage(item, to, stanza.attrs.to, plan.queryId);
      if (msg) origin.send(msg);
      else ctx.log.warn({ user: from.local, id: item.key }, "an archived stanza could not be parsed; left out of the results");
    }
    return finElement(page);
  });

  // §5 (urn:xmpp:mam:2#extended): the first and last item.
  ctx.iq("get", "self", ARCHIVE_NS.MAM, "metadata", ({ from }) => {
    writer.flush();
    const [first] = archive.find(from.local, { limit: 1 });
    const [last] = archive.find(from.local, { limit: 1, reverse: true });
    return metadataElement(first, last);
  });
}

/**
 * Purges by retention and checks the size cap once a day. The check runs hourly and acts when a
 * day has passed since the last run, so a server restarted more often than daily still purges
 * (an hour after starting).
 */
function scheduleMaintenance(ctx: ModuleContext, options: MamOptions, writer: ArchiveWriter): void {
  // Always scheduled: a retention policy may be set later with `chatctl mam retention --days`.
  let lastRun = 0;
  let running = false;
  ctx.every(MAINTENANCE_TICK_MS, "archive-maintenance", async () => {
    if (running || Date.now() - lastRun < MAINTENANCE_EVERY_MS) return;
    running = true;
    lastRun = Date.now();
    writer.flush();
    const { storage, release } = maintenanceStorage(ctx);
    try {
      await runArchiveMaintenance(storage, ctx.host, options, ctx.log);
    } finally {
      release();
      running = false;
    }
  });
}
