// A minimal SCRAM *client*, written for the tests straight from RFC 5802 §3/§5 with node:crypto,
// deliberately sharing no code with the server so that a shared mistake cannot hide.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";

export type Hash = "SHA-1" | "SHA-256";

const DIGEST = { "SHA-1": "sha1", "SHA-256": "sha256" } as const;
const LENGTH = { "SHA-1": 20, "SHA-256": 32 } as const;

export interface ScramClientOptions {
  /** Client nonce; random by default. */
  nonce?: string;
  /** Complete gs2 header, e.g. "n,,", "y,,", "p=tls-exporter,," or "n,a=user,". */
  gs2?: string;
  /** Channel binding data appended to the gs2 header in c= (for p=). */
  cbData?: Buffer;
  /** username as it goes on the wire, before =2C/=3D escaping. */
  username: string;
  password: string;
}

export class ScramClient {
  readonly nonce: string;
  readonly gs2: string;
  private serverSignature: Buffer | undefined;

  constructor(
    readonly hash: Hash,
    private readonly options: ScramClientOptions,
  ) {
    this.nonce = options.nonce ?? randomBytes(18).toString("base64");
    this.gs2 = options.gs2 ?? "n,,";
  }

  get bare(): string {
    const escaped = this.options.username.replace(/=/g, "=3D").replace(/,/g, "=2C");
    return `n=${escaped},r=${this.nonce}`;
  }

  first(): Buffer {
    return Buffer.from(this.gs2 + this.bare);
  }

  final(serverFirstBytes: Buffer): Buffer {
    const serverFirst = serverFirstBytes.toString();
    const attrs = new Map(serverFirst.split(",").map((p) => [p.slice(0, 1), p.slice(2)] as const));
    const nonce = attrs.get("r") ?? "";
    if (!nonce.startsWith(this.nonce)) throw new Error("server nonce does not extend ours");
    const salt = Buffer.from(attrs.get("s") ?? "", "base64");
    const iterations = Number(attrs.get("i"));
    const d = DIGEST[this.hash];
    const salted = pbkdf2Sync(this.options.password, salt, iterations, LENGTH[this.hash], d);
    const clientKey = createHmac(d, salted).update("Client Key").digest();
    const storedKey = createHash(d).update(clientKey).digest();
    const cb = Buffer.concat([Buffer.from(this.gs2), this.options.cbData ?? Buffer.alloc(0)]).toString("base64");
    const withoutProof = `c=${cb},r=${nonce}`;
    const authMessage = `${this.bare},${serverFirst},${withoutProof}`;
    const clientSignature = createHmac(d, storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((byte, i) => byte ^ (clientSignature[i] ?? 0)));
    const serverKey = createHmac(d, salted).update("Server Key").digest();
    this.serverSignature = createHmac(d, serverKey).update(authMessage).digest();
    return Buffer.from(`${withoutProof},p=${proof.toString("base64")}`);
  }

  /** Mutual authentication: does the server's v= prove it knew our credentials? */
  verifiesServer(serverFinal: Buffer | undefined): boolean {
    return serverFinal !== undefined && this.serverSignature !== undefined && serverFinal.toString() === `v=${this.serverSignature.toString("base64")}`;
  }
}
