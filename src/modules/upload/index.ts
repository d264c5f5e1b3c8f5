// HTTP File Upload (XEP-0363) on upload.<domain>: slots over XMPP, files over HTTPS on
// upload.port, stored under <dataDir>/upload and expired after upload.expireDays by a daily job
// (the same code `chatctl upload purge` runs). The domain logic lives in services/upload; this
// module wires it to the component host and owns the listener's lifetime.
//
// References:
//   https://xmpp.org/extensions/xep-0363.html   slots, errors, upload
//   https://xmpp.org/extensions/xep-0128.html   the max-file-size disco extension
//   RFC 9110 §14                               byte ranges of downloads
import { DISCO_INFO_EVENT, type DiscoInfoEvent } from "../../server/components.js";
import type { ModuleContext, ServerModule } from "../../server/module-api.js";
import { purgeUploads } from "../../services/upload/expiry.js";
import { UploadHttpHandler } from "../../services/upload/http.js";
import { UploadLayout } from "../../services/upload/layout.js";
import { startUploadListener } from "../../services/upload/listener.js";
import { UPLOAD_RECORD_STORE, UploadRecords } from "../../services/upload/records.js";
import { SlotService } from "../../services/upload/slots.js";
import { publicBaseUrl } from "../../services/upload/urls.js";
import { TlsContextManager } from "../../tls/context.js";
import { maxFileSizeForm, UPLOAD_IDENTITY } from "./disco.js";
import { UPLOAD_NS } from "./ns.js";
import { onSlotRequest } from "./request.js";

export interface UploadModuleDeps {
  /** The server's TLS state, so certificate reloads (SIGHUP) reach the upload listener too. */
  tls?: TlsContextManager;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export function createUploadModule(deps: UploadModuleDeps = {}): ServerModule {
  return {
    name: "upload",
    async setup(ctx) {
      const options = ctx.config.upload;
      publicBaseUrl(ctx.config); // a bad upload.publicUrl fails the start before anything binds
      const records = new UploadRecords(ctx.map(UPLOAD_RECORD_STORE));
      const layout = UploadLayout.of(ctx.config);
      const inProgress = new Set<string>();
      const slots = new SlotService(records, options, inProgress);

      const tls = deps.tls ?? new TlsContextManager(ctx.config, ctx.log);
      const handler = new UploadHttpHandler({ records, layout, log: ctx.log, expireDays: options.expireDays, inProgress });
      const listener = await startUploadListener(options, tls, handler);
      ctx.onClose(() => listener.close());
      const baseUrl = publicBaseUrl(ctx.config, listener.addresses[0]?.port);
      ctx.log.info({ url: baseUrl.href, listening: listener.addresses.map((a) => `${a.address}:${a.port}`) }, "upload service listening");

      ctx.addIdentity(UPLOAD_IDENTITY);
      ctx.addFeature(UPLOAD_NS);
      const form = maxFileSizeForm(options.maxFileBytes);
      ctx.hook<DiscoInfoEvent>(DISCO_INFO_EVENT, (ev) => {
        ev.extensions.push(form);
        return undefined;
      });
      ctx.iq("get", "host", UPLOAD_NS, "request", (req) => onSlotRequest({ domain: ctx.config.domain, slots, baseUrl: () => baseUrl }, req));

      scheduleExpiry(ctx, records, layout, options.expireDays);
    },
  };
}

/** Once a day (checked hourly, like the archive's retention): expired files, stale slots, leftovers. */
function scheduleExpiry(ctx: ModuleContext, records: UploadRecords, layout: UploadLayout, expireDays: number): void {
  let lastRun = 0;
  let running = false;
  ctx.every(HOUR_MS, "upload-expiry", async () => {
    if (running || Date.now() - lastRun < DAY_MS) return;
    running = true;
    lastRun = Date.now();
    try {
      const now = new Date();
      const olderThan = expireDays > 0 ? new Date(now.getTime() - expireDays * DAY_MS) : undefined;
      const r = await purgeUploads(records, layout, { ...(olderThan ? { olderThan } : {}), now });
      if (r.files + r.staleSlots + r.partialFiles > 0) ctx.log.info({ ...r, expireDays }, "upload expiry removed old files");
    } finally {
      running = false;
    }
  });
}
