// The namespace the proxy speaks, which src/xml/ns.ts does not list yet (like muc/ns.ts: its one
// place until the owner of ns.ts merges it).
export const PROXY65_NS = {
  /** XEP-0065: streamhost discovery, activation, and the disco feature. */
  BYTESTREAMS: "http://jabber.org/protocol/bytestreams",
} as const;
