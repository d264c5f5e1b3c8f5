// A slot request (XEP-0363 §4) in, a <slot/> or the §5 error out. Only accounts of this domain
// get slots: the files live on this server and count against its users' quotas.
import type { IqRequest } from "../../server/module-api.js";
import type { SlotService } from "../../services/upload/slots.js";
import { fileUrl } from "../../services/upload/urls.js";
import { StanzaError } from "../../stanza/errors.js";
import { x, type Element } from "../../xml/element.js";
import { UPLOAD_NS } from "./ns.js";

export interface SlotRequestEnv {
  domain: string;
  slots: SlotService;
  /** The base of the URLs (known once the listener is bound). */
  baseUrl: () => URL;
}

export function onSlotRequest(env: SlotRequestEnv, { from, payload }: IqRequest): Element | StanzaError {
  if (from.domain !== env.domain || from.local === "") {
    return new StanzaError("not-allowed", `only accounts of ${env.domain} may upload files here`);
  }
  const filename = payload.attrs.filename;
  const sizeText = payload.attrs.size;
  if (filename === undefined || filename.trim() === "") return new StanzaError("bad-request", "the request needs a filename attribute");
  if (sizeText === undefined || !/^\d{1,16}$/.test(sizeText.trim())) return new StanzaError("bad-request", "the request needs a size attribute in bytes");
  const contentType = payload.attrs["content-type"];
  const outcome = env.slots.request(from.local, { filename, size: Number(sizeText.trim()), ...(contentType !== undefined ? { contentType } : {}) });
  if (outcome.ok) {
    const url = fileUrl(env.baseUrl(), outcome.record.id, outcome.record.filename);
    return x(
      "slot",
      { xmlns: UPLOAD_NS },
      x("put", { url }, x("header", { name: "Authorization" }, `Bearer ${outcome.secret}`)),
      x("get", { url }),
    );
  }
  switch (outcome.reason) {
    case "bad-request":
      return new StanzaError("bad-request", outcome.text);
    case "file-too-large":
      return new StanzaError(
        "not-acceptable",
        `File too large. The maximum file size is ${outcome.maxFileBytes} bytes`,
        "modify",
        x("file-too-large", { xmlns: UPLOAD_NS }, x("max-file-size", null, String(outcome.maxFileBytes))),
      );
    case "quota":
      return new StanzaError(
        "resource-constraint",
        `Quota reached: ${outcome.usedBytes} of ${outcome.quotaBytes} bytes in use`,
        "wait",
        // XEP-0082 date-time in UTC, when enough of the quota will have been freed.
        outcome.retryAt ? x("retry", { xmlns: UPLOAD_NS, stamp: outcome.retryAt.toISOString().replace(/\.\d{3}Z$/, "Z") }) : undefined,
      );
  }
}
