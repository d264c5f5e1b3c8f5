"""slixmpp joins a room that another client created, reads the history the room sends on join,
says something in the room and waits for its own reflected groupchat message and for the other
occupant's reply. Prints one JSON line; exits non-zero on any failure. Bounded by hard timeouts."""
import asyncio
import json
import ssl
import sys

import slixmpp

jid, password, port, room, nick = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
result = {"ok": False}


class Bot(slixmpp.ClientXMPP):
    def __init__(self):
        super().__init__(jid, password)
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("groupchat_message", self.on_groupchat)
        self.add_event_handler("failed_auth", self.failed)
        loop = asyncio.get_event_loop()
        self.reflected = loop.create_future()
        self.reply = loop.create_future()

    async def start(self, _event):
        try:
            self.send_presence()
            _presence, subject, occupants, history = await self.plugin["xep_0045"].join_muc_wait(room, nick, maxstanzas=10, timeout=10)
            result["occupants"] = sorted(str(o["muc"]["nick"]) for o in occupants) if occupants else []
            result["history"] = [str(m["body"]) for m in history]
            self.send_message(mto=room, mbody="hello room from slixmpp", mtype="groupchat")
            result["reflected_from"] = await asyncio.wait_for(self.reflected, 10)
            result["reply"] = await asyncio.wait_for(self.reply, 10)
            result["ok"] = True
        except Exception as exc:  # report, don't hang
            result["error"] = repr(exc)
        self.disconnect()

    def on_groupchat(self, msg):
        body = str(msg["body"])
        if body == "hello room from slixmpp" and not self.reflected.done():
            self.reflected.set_result(str(msg["from"]))
        elif body.startswith("welcome") and not self.reply.done():
            self.reply.set_result(body)

    def failed(self, _event):
        result["error"] = "authentication failed"
        self.disconnect()


bot = Bot()
bot.register_plugin("xep_0045")
bot.ssl_context.check_hostname = False
bot.ssl_context.verify_mode = ssl.CERT_NONE
bot.connect(("127.0.0.1", port), force_starttls=True)
loop = asyncio.get_event_loop()
try:
    loop.run_until_complete(asyncio.wait_for(bot.disconnected, 40))
except asyncio.TimeoutError:
    result["error"] = "timeout"
print(json.dumps(result))
sys.exit(0 if result["ok"] else 1)
