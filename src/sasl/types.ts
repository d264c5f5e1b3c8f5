// The transport-agnostic SASL framework (RFC 4422 §3). A mechanism turns client responses into
// challenges until it reaches success or failure; the XMPP module (saslauth) only wraps these
// steps in <challenge/>/<response/>/<success/>/<failure/> and base64.
import type { AuthProvider } from "../auth/types.js";

/** RFC 6120 §6.5 failure conditions, spelled exactly as on the wire. */
export type SaslFailureCondition =
  | "aborted"
  | "account-disabled"
  | "credentials-expired"
  | "encryption-required"
  | "incorrect-encoding"
  | "invalid-authzid"
  | "invalid-mechanism"
  | "malformed-request"
  | "mechanism-too-weak"
  | "not-authorized"
  | "temporary-auth-failure";

export type SaslStep =
  | { kind: "challenge"; data: Buffer }
  /** `username` is the prepared account name (a JID localpart). */
  | { kind: "success"; username: string; data?: Buffer }
  /**
   * `text` is for logs and the optional <text/>; it never says whether an account exists.
   * `username` is the prepared account the client claimed, once known (per-account throttling);
   * it is set the same way whether or not that account exists.
   */
  | { kind: "failure"; condition: SaslFailureCondition; text?: string; username?: string };

/** RFC 5929 / RFC 9266 channel binding types. */
export type ChannelBindingType = "tls-exporter" | "tls-server-end-point" | "tls-unique";

export interface SaslContext {
  /** TLS is active. */
  secure: boolean;
  /** Credentials source. */
  provider: AuthProvider;
  /** Channel binding data the server can offer when TLS is up, e.g. { "tls-exporter": Buffer }. */
  channelBindings?: Partial<Record<ChannelBindingType, Buffer>>;
  /**
   * Whether -PLUS mechanisms were advertised to this client. A SCRAM client that says "y" (I can
   * bind, you cannot) while they were is being downgraded (RFC 5802 §6). Absent → derived from
   * the channel binding data, which is exactly when defaultMechanisms() offers them.
   */
  plusAdvertised?: boolean;
  /** The virtual host; lets an authzid written as a bare JID (user@domain) name the user itself. */
  domain?: string;
}

export interface SaslMechanism {
  readonly name: string;
  /** A -PLUS (channel binding) mechanism. */
  readonly plus?: boolean;
  available(ctx: SaslContext): boolean;
  start(ctx: SaslContext): SaslSession;
}

export interface SaslSession {
  /**
   * Feeds one client message; the first call gets the initial response (an empty Buffer when
   * there was none). Never throws: every problem is a `failure` step.
   */
  step(response: Buffer): Promise<SaslStep>;
}

/** Channel binding types the server has data for, in preference order (RFC 9266 first). */
export function availableChannelBindings(ctx: SaslContext): ChannelBindingType[] {
  if (!ctx.secure || ctx.channelBindings === undefined) return [];
  const order: ChannelBindingType[] = ["tls-exporter", "tls-server-end-point", "tls-unique"];
  return order.filter((type) => {
    const data = ctx.channelBindings?.[type];
    return data !== undefined && data.length > 0;
  });
}

export function failure(condition: SaslFailureCondition, text?: string, username?: string): SaslStep & { kind: "failure" } {
  const step: SaslStep & { kind: "failure" } = { kind: "failure", condition };
  if (text !== undefined) step.text = text;
  if (username !== undefined) step.username = username;
  return step;
}
