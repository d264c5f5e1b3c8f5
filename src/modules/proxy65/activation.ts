// XEP-0065 §6.3.5: the requester asks the proxy to activate a stream. The stream's address is
// recomputed from the SID, the sender's own (router-stamped) full JID and the target named in
// <activate/>, so nobody but the requester can activate it: anyone else computes an address that
// does not exist (item-not-found). Both sides must be connected (not-allowed otherwise).
import { Jid } from "../../jid/jid.js";
import type { IqRequest } from "../../server/module-api.js";
import { streamHash } from "../../services/socks5/hash.js";
import type { Socks5Proxy } from "../../services/socks5/proxy.js";
import { StanzaError } from "../../stanza/errors.js";

export function activate(proxy: Socks5Proxy, req: IqRequest): true | StanzaError {
  const sid = req.payload.attrs.sid;
  const activateEl = req.payload.getChild("activate");
  if (sid === undefined || sid === "" || activateEl === undefined) {
    return new StanzaError("bad-request", "activation needs a sid and an <activate/> with the target's JID");
  }
  const target = Jid.tryParse(activateEl.getText().trim());
  if (target === undefined) return new StanzaError("jid-malformed", "<activate/> must hold the target's JID");
  // §5.3.2 allows the requester's bare JID in the hash too; only the account itself can send from it.
  const requesters = req.from.resource !== "" ? [req.from, req.from.bare()] : [req.from];
  let result: ReturnType<Socks5Proxy["activate"]> = "unknown-stream";
  for (const requester of requesters) {
    result = proxy.activate(streamHash(sid, requester.toString(), target.toString()));
    if (result !== "unknown-stream") break;
  }
  switch (result) {
    case "activated":
      return true;
    case "unknown-stream":
      return new StanzaError("item-not-found", "no stream with this SID, requester and target is connected to the proxy");
    case "peer-missing":
      return new StanzaError("not-allowed", "only one side of the stream is connected to the proxy");
    case "already-active":
      return new StanzaError("not-allowed", "the stream is already active");
  }
}
