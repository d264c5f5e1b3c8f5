// Every XML namespace chatctl speaks, in one place (never inline a namespace string elsewhere).
export const NS = {
  CLIENT: "jabber:client",
  SERVER: "jabber:server",
  STREAMS: "http://etherx.jabber.org/streams",
  STREAM_ERRORS: "urn:ietf:params:xml:ns:xmpp-streams",
  STANZA_ERRORS: "urn:ietf:params:xml:ns:xmpp-stanzas",
  TLS: "urn:ietf:params:xml:ns:xmpp-tls",
  SASL: "urn:ietf:params:xml:ns:xmpp-sasl",
  BIND: "urn:ietf:params:xml:ns:xmpp-bind",
  SESSION: "urn:ietf:params:xml:ns:xmpp-session",
  ROSTER: "jabber:iq:roster",
  ROSTER_VER: "urn:xmpp:features:rosterver",
  PRE_APPROVAL: "urn:xmpp:features:pre-approval",
  DISCO_INFO: "http://jabber.org/protocol/disco#info",
  DISCO_ITEMS: "http://jabber.org/protocol/disco#items",
  CAPS: "http://jabber.org/protocol/caps",
  DATA_FORMS: "jabber:x:data",
  PING: "urn:xmpp:ping",
  VERSION: "jabber:iq:version",
  TIME: "urn:xmpp:time",
  LAST: "jabber:iq:last",
  VCARD: "vcard-temp",
  PRIVATE: "jabber:iq:private",
  DELAY: "urn:xmpp:delay",
  XML: "http://www.w3.org/XML/1998/namespace",
} as const;

export type Namespace = (typeof NS)[keyof typeof NS];
