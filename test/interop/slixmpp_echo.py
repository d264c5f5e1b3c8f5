"""A second client we did not write: slixmpp logs in over STARTTLS, fetches its roster, sends a
chat message to a peer, waits for the peer's reply and pings the server. Prints one JSON line
with what it saw; exits non-zero on any failure. Bounded by a hard timeout."""
import asyncio
import json
import ssl
import sys

import slixmpp

jid, password, port, peer = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
result = {"ok": False}


class Bot(slixmpp.ClientXMPP):
    def __init__(self):
        super().__init__(jid, password)
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("failed_auth", self.failed)
        self.reply = asyncio.get_event_loop().create_future()

    async def start(self, _event):
        try:
            self.send_presence()
            roster = await self.get_roster()
            result["roster_ok"] = roster["type"] == "result"
            result["mechanism"] = getattr(self.plugin["feature_mechanisms"], "mech", None) and self.plugin["feature_mechanisms"].mech.name
            self.send_message(mto=peer, mbody="hello from slixmpp ✓", mtype="chat")
            body = await asyncio.wait_for(self.reply, 10)
            result["reply"] = body
            ping = await self.plugin["xep_0199"].send_ping(jid=self.boundjid.domain, timeout=5)
            result["ping"] = ping["type"]
            result["ok"] = True
        except Exception as exc:  # report, don't hang
            result["error"] = repr(exc)
        self.disconnect()

    def on_message(self, msg):
        if msg["type"] in ("chat", "normal") and not self.reply.done():
            self.reply.set_result(msg["body"])

    def failed(self, _event):
        result["error"] = "authentication failed"
        self.disconnect()


bot = Bot()
bot.register_plugin("xep_0199")
bot.ssl_context.check_hostname = False
bot.ssl_context.verify_mode = ssl.CERT_NONE
bot.connect(("127.0.0.1", port), force_starttls=True)
loop = asyncio.get_event_loop()
try:
    loop.run_until_complete(asyncio.wait_for(bot.disconnected, 30))
except asyncio.TimeoutError:
    result["error"] = "timeout"
print(json.dumps(result))
sys.exit(0 if result["ok"] else 1)
