// What disco#info on upload.<domain> says (XEP-0363 §3): identity store/file, the feature, and
// a XEP-0128 extension form carrying max-file-size, so clients can refuse a large file before
// asking for a slot.
import { x, type Element } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { UPLOAD_NS } from "./ns.js";

export const UPLOAD_IDENTITY = { category: "store", type: "file", name: "HTTP File Upload" } as const;

export function maxFileSizeForm(maxFileBytes: number): Element {
  return x(
    "x",
    { xmlns: NS.DATA_FORMS, type: "result" },
    x("field", { var: "FORM_TYPE", type: "hidden" }, x("value", null, UPLOAD_NS)),
    x("field", { var: "max-file-size" }, x("value", null, String(maxFileBytes))),
  );
}
