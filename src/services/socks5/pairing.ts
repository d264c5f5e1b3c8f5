// Streams waiting for activation, keyed by their address (the SHA-1 hex of XEP-0065 §5.3.2).
// XEP-0065 §6.3: the target connects first, the requester second; a third connection for the
// same stream, or any once it is active, is refused. Which side is which matters only in logs:
// the relay is symmetric.
import type { Socket } from "node:net";

export interface Pairing {
  readonly hash: string;
  /** The first to connect: the target. */
  first: Socket;
  /** The second: the requester. */
  second?: Socket;
  active: boolean;
}

export type JoinResult = { joined: Pairing } | { refused: "taken" | "full" };

export class PairingRegistry {
  private readonly byHash = new Map<string, Pairing>();

  constructor(private readonly maxStreams: number) {}

  get size(): number {
    return this.byHash.size;
  }

  get(hash: string): Pairing | undefined {
    return this.byHash.get(hash);
  }

  /** Adds a connection to its stream: opens the stream when new, completes the pair when second. */
  join(hash: string, socket: Socket): JoinResult {
    const existing = this.byHash.get(hash);
    if (existing) {
      if (existing.second !== undefined || existing.active) return { refused: "taken" };
      existing.second = socket;
      return { joined: existing };
    }
    if (this.byHash.size >= this.maxStreams) return { refused: "full" };
    const pairing: Pairing = { hash, first: socket, active: false };
    this.byHash.set(hash, pairing);
    return { joined: pairing };
  }

  /** A waiting connection went away: its stream forgets it (and goes when nobody is left). */
  leave(hash: string, socket: Socket): void {
    const p = this.byHash.get(hash);
    if (!p || p.active) return;
    if (p.second === socket) p.second = undefined;
    else if (p.first === socket) {
      if (p.second === undefined) this.byHash.delete(hash);
      else {
        p.first = p.second;
        p.second = undefined;
      }
    }
  }

  /** The transfer is over. */
  remove(hash: string): void {
    this.byHash.delete(hash);
  }

  counts(): { waiting: number; active: number } {
    let active = 0;
    for (const p of this.byHash.values()) if (p.active) active++;
    return { waiting: this.byHash.size - active, active };
  }

  all(): IterableIterator<Pairing> {
    return this.byHash.values();
  }
}
