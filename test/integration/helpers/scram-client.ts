// A minimal SCRAM client (RFC 5802) for driving SCRAM-SHA-256 over a raw stream, since
// @xmpp/client only implements SCRAM-SHA-1.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";

export class ScramClient {
  private readonly nonce = randomBytes(18).toString("base64");
  private clientFirstBare = "";
  private serverSignature = "";

  constructor(
    private readonly hash: "sha1" | "sha256",
    private readonly user: string,
    private readonly password: string,
  ) {}

  first(): string {
    this.clientFirstBare = `n=${this.user},r=${this.nonce}`;
    return "n,," + this.clientFirstBare;
  }

  final(serverFirst: string): string {
    const attrs = Object.fromEntries(serverFirst.split(",").map((kv) => [kv[0], kv.slice(2)]));
    const salt = Buffer.from(attrs.s!, "base64");
    const iterations = Number(attrs.i);
    const len = this.hash === "sha1" ? 20 : 32;
    const salted = pbkdf2Sync(this.password, salt, iterations, len, this.hash);
    const clientKey = createHmac(this.hash, salted).update("Client Key").digest();
    const storedKey = createHash(this.hash).update(clientKey).digest();
    const withoutProof = `c=biws,r=${attrs.r}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = createHmac(this.hash, storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!));
    const serverKey = createHmac(this.hash, salted).update("Server Key").digest();
    this.serverSignature = createHmac(this.hash, serverKey).update(authMessage).digest("base64");
    return `${withoutProof},p=${proof.toString("base64")}`;
  }

  verify(serverFinal: string): boolean {
    return serverFinal === `v=${this.serverSignature}`;
  }
}
