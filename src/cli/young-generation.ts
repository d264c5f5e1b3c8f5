// Keeps V8's young generation at its initial size (two 1 MiB semi-spaces) instead of letting it
// grow to 2 × 16 MiB. Imported for its side effect by bin/chatctl.js before the rest of chatctl loads.
//
// Why: a chat server holds thousands of mostly idle connections; its allocation rate comes in
// bursts (a wave of logins, a broadcast). After one burst V8 grows the semi-spaces to their
// maximum and keeps them: ~25 MiB of RSS that no session owns (measured: idle RSS 81.6 → 74.3
// MiB; RSS per idle session at 10,000 sessions 53.3 → 51.8 KiB). Scavenges stay cheap because
// their cost follows the live objects, not the space size, and a stanza lives for microseconds.
//
// `--max-semi-space-size` would say this more plainly, but V8 reads it only when the heap is
// created, i.e. from the node command line; the growth factor is read at every resize, so it
// can be set from inside the process. A user who passes their own young-generation flags (on
// the command line or in NODE_OPTIONS) keeps them.
import v8 from "node:v8";

const OWN_FLAGS = /--(max|min)-semi-space-size|--semi-space-growth-factor/;

const userChose = OWN_FLAGS.test(process.execArgv.join(" ")) || OWN_FLAGS.test(process.env.NODE_OPTIONS ?? "");
if (!userChose) v8.setFlagsFromString("--semi-space-growth-factor=1");
