"""PEP (XEP-0163) with slixmpp's own plugins against chatctl. slixmpp registers interest in avatar
metadata (XEP-0084) and nicknames (XEP-0172) the way it always does — '<node>+notify' features in
its entity capabilities (XEP-0115) — subscribes to the other user's presence, and waits for that
user's avatar metadata and nickname events: they only arrive if the server asked slixmpp's
disco#info and accepted slixmpp's caps hash. Then it publishes its own avatar (data, then
metadata) with xep_0084. Prints one JSON line; exits non-zero on any failure. Bounded by hard
timeouts."""
import asyncio
import base64
import json
import ssl
import sys

import slixmpp

jid, password, port, contact, avatar_b64 = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
NS_METADATA = "urn:xmpp:avatar:metadata"
NS_NICK = "http://jabber.org/protocol/nick"
result = {"ok": False}


class Bot(slixmpp.ClientXMPP):
    def __init__(self):
        super().__init__(jid, password)
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("avatar_metadata_publish", self.on_metadata)
        self.add_event_handler("user_nick_publish", self.on_nick)
        self.add_event_handler("failed_auth", self.failed)
        loop = asyncio.get_event_loop()
        self.contact_metadata = loop.create_future()
        self.contact_nick = loop.create_future()
        # Evidence of the caps round trip: what slixmpp advertised, and what the server asked.
        result["advertised"] = []
        result["server_queries"] = []
        self.add_filter("in", self.note_disco_query)
        self.add_filter("out_sync", self.note_caps)

    def note_disco_query(self, stanza):
        if isinstance(stanza, slixmpp.Iq) and stanza["type"] == "get" and stanza["from"].full == slixmpp.JID(jid).domain and stanza.xml.find("{http://jabber.org/protocol/disco#info}query") is not None:
            result["server_queries"].append(stanza["disco_info"]["node"])
        return stanza

    def note_caps(self, stanza):
        if isinstance(stanza, slixmpp.Presence):
            c = stanza.xml.find("{http://jabber.org/protocol/caps}c")
            if c is not None:
                result["advertised"].append("%s#%s" % (c.get("node"), c.get("ver")))
        return stanza

    async def start(self, _event):
        try:
            await self.get_roster()
            # xep_0115 adds <c node ver hash/> to this presence (its out filter), including the
            # +notify features xep_0084/xep_0172 registered at session_bind.
            self.send_presence()
            self.send_presence(pto=contact, ptype="subscribe")
            result["contact_metadata"] = await asyncio.wait_for(self.contact_metadata, 20)
            result["contact_nick"] = await asyncio.wait_for(self.contact_nick, 20)

            data = base64.b64decode(avatar_b64)
            avatar_id = self.plugin["xep_0084"].generate_id(data)
            await self.plugin["xep_0084"].publish_avatar(data, timeout=10)
            await self.plugin["xep_0084"].publish_avatar_metadata({"id": avatar_id, "type": "image/png", "bytes": len(data)}, timeout=10)
            result["published_id"] = avatar_id
            result["ok"] = True
        except Exception as exc:  # report, don't hang
            result["error"] = repr(exc)
        self.disconnect()

    def on_metadata(self, msg):
        if msg["from"].bare != contact or self.contact_metadata.done():
            return
        item = msg["pubsub_event"]["items"]["item"]
        info = item.xml.find("{%s}metadata/{%s}info" % (NS_METADATA, NS_METADATA))
        self.contact_metadata.set_result({"item_id": item["id"], "info": dict(info.attrib) if info is not None else None})

    def on_nick(self, msg):
        if msg["from"].bare != contact or self.contact_nick.done():
            return
        nick = msg["pubsub_event"]["items"]["item"].xml.find("{%s}nick" % NS_NICK)
        self.contact_nick.set_result(nick.text if nick is not None else None)

    def failed(self, _event):
        result["error"] = "authentication failed"
        self.disconnect()


bot = Bot()
for plugin in ("xep_0030", "xep_0115", "xep_0163", "xep_0084", "xep_0172"):
    bot.register_plugin(plugin)
bot.ssl_context.check_hostname = False
bot.ssl_context.verify_mode = ssl.CERT_NONE
bot.connect(("127.0.0.1", port), force_starttls=True)
loop = asyncio.get_event_loop()
try:
    loop.run_until_complete(asyncio.wait_for(bot.disconnected, 50))
except asyncio.TimeoutError:
    result["error"] = "timeout"
print(json.dumps(result))
sys.exit(0 if result["ok"] else 1)
