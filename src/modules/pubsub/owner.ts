// The <pubsub xmlns='http://jabber.org/protocol/pubsub#owner'/> requests (XEP-0060 §8): configure,
// default configuration, delete, purge, manage subscriptions and affiliations.
import { Jid } from "../../jid/jid.js";
import type { IqRequest } from "../../server/module-api.js";
import { AFFILIATIONS, type Affiliation } from "../../services/pubsub/types.js";
import { StanzaError } from "../../stanza/errors.js";
import { x, type Element } from "../../xml/element.js";
import type { PubSubEndpoint } from "./endpoint.js";
import { guarded, pubsubError } from "./errors.js";
import { configForm, formIn, readSubmitted } from "./forms.js";
import { PUBSUB_NS } from "./ns.js";

type Reply = Element | true | StanzaError;

function ownerResult(...children: Element[]): Element {
  return x("pubsub", { xmlns: PUBSUB_NS.OWNER }, children);
}

function nodeOf(el: Element): string | StanzaError {
  const node = el.attrs.node;
  return node === undefined || node === "" ? pubsubError("bad-request", "nodeid-required") : node;
}

export function ownerGet(ep: PubSubEndpoint, req: IqRequest): Reply {
  const el = req.payload.elements[0];
  if (!el) return new StanzaError("bad-request", "empty pubsub#owner request");
  const key = ep.key(req.to);
  const actor = req.from.bare().toString();
  if (el.name === "default") {
    // §8.3: the default configuration new nodes get here.
    return ownerResult(x("default", {}, configForm(ep.service.defaults(key), ep.service.limits)));
  }
  const node = nodeOf(el);
  if (node instanceof StanzaError) return node;
  switch (el.name) {
    case "configure":
      return guarded(() => ownerResult(x("configure", { node }, configForm(ep.service.getConfig(key, node, actor).config, ep.service.limits))));
    case "subscriptions":
      return guarded(() =>
        ownerResult(x("subscriptions", { node }, ep.service.subscriptions(key, node, actor).map((s) => x("subscription", { jid: s.jid, subscription: s.state, subid: s.subid })))),
      );
    case "affiliations":
      return guarded(() =>
        ownerResult(x("affiliations", { node }, ep.service.affiliations(key, node, actor).map((a) => x("affiliation", { jid: a.jid, affiliation: a.affiliation })))),
      );
    default:
      return new StanzaError("feature-not-implemented", `unsupported pubsub#owner request <${el.name}/>`);
  }
}

export function ownerSet(ep: PubSubEndpoint, req: IqRequest): Reply {
  const el = req.payload.elements[0];
  if (!el) return new StanzaError("bad-request", "empty pubsub#owner request");
  const node = nodeOf(el);
  if (node instanceof StanzaError) return node;
  const key = ep.key(req.to);
  const actor = req.from.bare().toString();
  switch (el.name) {
    case "configure": {
      // §8.2.4: a missing form is a bad request; a cancel form changes nothing (§8.2.5.1).
      const form = formIn(el);
      if (!form) return new StanzaError("bad-request", "a configuration form is required");
      const values = readSubmitted(form, PUBSUB_NS.NODE_CONFIG);
      if (values instanceof StanzaError) return values;
      return guarded(() => {
        if (values === undefined) ep.service.getConfig(key, node, actor);
        else ep.service.configure(key, node, actor, values);
        return true;
      });
    }
    case "delete":
      return guarded(() => {
        ep.service.deleteNode(key, node, actor, el.getChild("redirect")?.attrs.uri);
        return true;
      });
    case "purge":
      return guarded(() => {
        ep.service.purge(key, node, actor);
        return true;
      });
    case "subscriptions": {
      const changes: Array<{ jid: string; state: "subscribed" | "none" }> = [];
      for (const s of el.getChildren("subscription")) {
        const jid = Jid.tryParse(s.attrs.jid);
        if (!jid) return pubsubError("bad-request", "invalid-jid");
        const state = s.attrs.subscription;
        if (state !== "subscribed" && state !== "none") return new StanzaError("bad-request", "subscription must be 'subscribed' or 'none'");
        changes.push({ jid: jid.toString(), state });
      }
      return guarded(() => {
        ep.service.setSubscriptions(key, node, actor, changes);
        return true;
      });
    }
    case "affiliations": {
      const changes: Array<{ jid: string; affiliation: Affiliation }> = [];
      for (const a of el.getChildren("affiliation")) {
        const jid = Jid.tryParse(a.attrs.jid);
        if (!jid) return pubsubError("bad-request", "invalid-jid");
        const affiliation = a.attrs.affiliation;
        if (affiliation === undefined || !(AFFILIATIONS as readonly string[]).includes(affiliation)) return new StanzaError("bad-request", "unknown affiliation");
        changes.push({ jid: jid.bare().toString(), affiliation: affiliation as Affiliation });
      }
      return guarded(() => {
        ep.service.setAffiliations(key, node, actor, changes);
        return true;
      });
    }
    default:
      return new StanzaError("feature-not-implemented", `unsupported pubsub#owner request <${el.name}/>`);
  }
}
