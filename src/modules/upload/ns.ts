// XEP-0363's namespace (the module's own; NS in xml/ns.ts holds the core ones).
export const UPLOAD_NS = "urn:xmpp:http:upload:0";
