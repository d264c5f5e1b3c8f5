// The namespaces the avatar conversion speaks (XEP-0084, XEP-0153, XEP-0398). Kept beside the
// module that owns them; src/xml/ns.ts holds the core protocol namespaces.
export const AVATAR_NS = {
  /** XEP-0084 §4.2: the node (and payload namespace) holding the image bytes. */
  DATA: "urn:xmpp:avatar:data",
  /** XEP-0084 §4.3: the node (and payload namespace) describing the current avatar. */
  METADATA: "urn:xmpp:avatar:metadata",
  /** XEP-0153 §3.2: the hash of the vCard photo carried in presence. */
  VCARD_UPDATE: "vcard-temp:x:update",
  /** XEP-0398 §2: advertised on the account when the server converts between the two. */
  CONVERSION: "urn:xmpp:pep-vcard-conversion:0",
} as const;
