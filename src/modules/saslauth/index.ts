// SASL authentication (RFC 6120 §6) over the mechanism registry in src/sasl. Offers mechanisms
// only where they are allowed (no authentication before TLS unless configured), drives
// multi-step exchanges, throttles repeated failures per address and account, and never logs a
// SASL payload.
import { FailureThrottle } from "../../auth/throttle.js";
import { defaultMechanisms, offeredMechanisms, selectMechanism } from "../../sasl/registry.js";
import type { SaslContext, SaslMechanism, SaslSession, SaslStep } from "../../sasl/types.js";
import type { NonzaEvent, StreamFeaturesEvent } from "../../router/events.js";
import type { ModuleContext, ServerModule } from "../../server/module-api.js";
import type { Session } from "../../stream/session.js";
import { StreamError } from "../../stanza/errors.js";
import { x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";

const NS_SASL_CB = "urn:xmpp:sasl-cb:0";
/** Failed attempts tolerated on one stream before it is closed (RFC 6120 §6.4.5: at least 2 retries). */
const MAX_FAILURES_PER_STREAM = 3;

interface Exchange {
  mechanism: SaslMechanism;
  sasl: SaslSession | undefined;
  /** Responses are processed strictly in order even when a step is asynchronous. */
  queue: Promise<void>;
}

export const saslModule: ServerModule = {
  name: "saslauth",
  setup(ctx) {
    const mechanisms = defaultMechanisms();
    const exchanges = new WeakMap<Session, Exchange>();
    const failures = new WeakMap<Session, number>();
    const throttle = new FailureThrottle({
      maxPerAddress: ctx.config.auth.maxFailuresPerAddress,
      maxPerAccount: ctx.config.auth.maxFailuresPerAccount,
      windowMs: ctx.config.auth.failureWindow * 1000,
    });

    const saslContext = (session: Session): SaslContext => ({
      secure: session.secure,
      provider: ctx.auth,
      channelBindings: session.channelBindings(),
      domain: session.host,
    });
    const mayAuthenticate = (session: Session) => session.secure || !ctx.config.c2s.requireEncryption;

    ctx.hook<StreamFeaturesEvent>("stream-features", ({ session, features }) => {
      if (session.state !== "connected" || !mayAuthenticate(session)) return;
      const sctx = saslContext(session);
      features.append(x("mechanisms", { xmlns: NS.SASL }, offeredMechanisms(mechanisms, sctx).map((m) => x("mechanism", null, m))));
      // XEP-0440: tell -PLUS clients which channel-binding types we can verify.
      const types = Object.keys(sctx.channelBindings ?? {}).filter((t) => t !== "tls-unique");
      if (types.length) features.append(x("sasl-channel-binding", { xmlns: NS_SASL_CB }, types.map((type) => x("channel-binding", { type }))));
    });

    const fail = (session: Session, condition: string, text?: string) => {
      exchanges.delete(session);
      session.send(x("failure", { xmlns: NS.SASL }, x(condition), text ? x("text", { "xml:lang": "en" }, text) : undefined));
    };

    ctx.hook<NonzaEvent>(`stanza/${NS.SASL}:auth`, ({ session, el }) => {
      if (session.state !== "connected") {
        session.close(new StreamError("policy-violation", "already authenticated"));
        return true;
      }
      if (!mayAuthenticate(session)) {
        fail(session, "encryption-required", "use STARTTLS or direct TLS before authenticating");
        return true;
      }
      if (throttle.isBlocked(session.remoteAddress)) {
        fail(session, "temporary-auth-failure", "too many failed attempts; try again later");
        return true;
      }
      const sctx = saslContext(session);
      const name = el.attrs.mechanism ?? "";
      const mechanism = selectMechanism(mechanisms, name, sctx);
      if (!mechanism) {
        fail(session, "invalid-mechanism");
        return true;
      }
      const exchange: Exchange = { mechanism, sasl: mechanism.start(sctx), queue: Promise.resolve() };
      exchanges.set(session, exchange);
      const text = el.getText().trim();
      if (text === "") {
        // No initial response: an empty challenge asks for it (RFC 6120 §6.4.2).
        session.send(x("challenge", { xmlns: NS.SASL }));
        return true;
      }
      enqueue(ctx, session, exchange, text);
      return true;
    });

    ctx.hook<NonzaEvent>(`stanza/${NS.SASL}:response`, ({ session, el }) => {
      const exchange = exchanges.get(session);
      if (!exchange) {
        fail(session, "malformed-request", "no authentication in progress");
        return true;
      }
      enqueue(ctx, session, exchange, el.getText().trim());
      return true;
    });

    ctx.hook<NonzaEvent>(`stanza/${NS.SASL}:abort`, ({ session }) => {
      fail(session, "aborted");
      return true;
    });

    function enqueue(mctx: ModuleContext, session: Session, exchange: Exchange, text: string): void {
      exchange.queue = exchange.queue.then(async () => {
        if (exchanges.get(session) !== exchange || session.state !== "connected") return;
        const data = decodeBase64(text);
        if (!data) {
          fail(session, "incorrect-encoding");
          return;
        }
        let step: SaslStep;
        try {
          step = await exchange.sasl!.step(data);
        } catch (err) {
          mctx.log.error({ err, mechanism: exchange.mechanism.name }, "SASL mechanism failed");
          step = { kind: "failure", condition: "temporary-auth-failure" };
        }
        if (exchanges.get(session) !== exchange || session.state !== "connected") return;
        handleStep(session, exchange, step);
      });
    }

    function handleStep(session: Session, exchange: Exchange, step: SaslStep): void {
      switch (step.kind) {
        case "challenge":
          session.send(x("challenge", { xmlns: NS.SASL }, step.data.toString("base64")));
          return;
        case "success": {
          if (throttle.isBlocked(session.remoteAddress, step.username)) {
            fail(session, "temporary-auth-failure", "too many failed attempts; try again later");
            return;
          }
          throttle.recordSuccess(session.remoteAddress, step.username);
          exchanges.delete(session);
          session.send(x("success", { xmlns: NS.SASL }, step.data && step.data.length ? step.data.toString("base64") : undefined));
          session.authenticate(step.username);
          ctx.log.info({ session: session.id, user: step.username, mechanism: exchange.mechanism.name }, "login");
          return;
        }
        case "failure": {
          throttle.recordFailure(session.remoteAddress, step.username);
          ctx.log.info({ session: session.id, remote: session.remoteAddress, mechanism: exchange.mechanism.name, condition: step.condition }, "authentication failed");
          fail(session, step.condition, step.text);
          const n = (failures.get(session) ?? 0) + 1;
          failures.set(session, n);
          if (n >= MAX_FAILURES_PER_STREAM) session.close(new StreamError("policy-violation", "too many failed authentication attempts"));
          return;
        }
      }
    }
  },
};

/** Strict base64 (RFC 6120 §6.4.2: "=" is an empty response). */
function decodeBase64(text: string): Buffer | undefined {
  if (text === "=") return Buffer.alloc(0);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  return Buffer.from(text, "base64");
}
