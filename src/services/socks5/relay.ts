// Relays one activated bytestream: each socket's bytes go through a Meter into the other socket,
// with stream.pipeline's backpressure (a slow reader stops the sender being read). An end of
// input from one side ends the other's output only (half-close), so a sender's FIN reaches the
// receiver after the last byte; the transfer is over when both directions are, or at the first
// error, when both sockets are destroyed.
import type { Socket } from "node:net";
import { pipeline } from "node:stream";
import { Meter, type TransferBudget } from "./meter.js";

export interface RelayOutcome {
  /** Bytes from the first-connected side (the target, XEP-0065 §6.3) to the other, and back. */
  firstToSecond: number;
  secondToFirst: number;
  /** The first failure, when the transfer did not end with both sides closing. */
  error?: Error;
}

export function relay(first: Socket, second: Socket, budget: TransferBudget): Promise<RelayOutcome> {
  const forward = new Meter(budget);
  const backward = new Meter(budget);
  return new Promise((resolve) => {
    let open = 2;
    let settled = false;
    const finish = (err: Error | null | undefined) => {
      if (settled) return;
      if (err || --open === 0) {
        settled = true;
        first.destroy();
        second.destroy();
        resolve({ firstToSecond: forward.passed, secondToFirst: backward.passed, ...(err ? { error: err } : {}) });
      }
    };
    pipeline(first, forward, second, finish);
    pipeline(second, backward, first, finish);
  });
}
