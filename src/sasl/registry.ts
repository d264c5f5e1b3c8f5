// Which mechanisms a server offers, in preference order. Clients pick the first one they support
// from what we list, so the strongest come first: channel-bound SCRAM, plain SCRAM, then PLAIN.
import { PlainMechanism } from "./plain.js";
import { ScramMechanism, type ScramOptions } from "./scram.js";
import type { SaslContext, SaslMechanism } from "./types.js";

export function defaultMechanisms(options: ScramOptions = {}): SaslMechanism[] {
  return [
    new ScramMechanism("SHA-256", true, options),
    new ScramMechanism("SHA-1", true, options),
    new ScramMechanism("SHA-256", false, options),
    new ScramMechanism("SHA-1", false, options),
    new PlainMechanism(),
  ];
}

/** The names to advertise in <mechanisms/> for this connection. */
export function offeredMechanisms(mechs: SaslMechanism[], ctx: SaslContext): string[] {
  return mechs.filter((m) => m.available(ctx)).map((m) => m.name);
}

/**
 * The mechanism a client asked for, only if it is offered on this connection; undefined means
 * the caller answers invalid-mechanism (a client may not pick PLAIN before TLS by naming it).
 */
export function selectMechanism(mechs: SaslMechanism[], name: string, ctx: SaslContext): SaslMechanism | undefined {
  return mechs.find((m) => m.name === name && m.available(ctx));
}
