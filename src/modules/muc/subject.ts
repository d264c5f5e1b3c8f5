// The room subject (XEP-0045 §8.1): who may change it, and the subject message every joining
// client receives last (§7.2.16) — an empty <subject/> when none is set, which tells clients the
// join is complete.
import { x, type Element } from "../../xml/element.js";
import type { MucEnv, MucRoom } from "./env.js";
import { occupantJid, sendTo } from "./occupants.js";

export function subjectMessage(room: MucRoom): Element {
  const s = room.subject;
  const from = s && s.nick !== "" ? occupantJid(room, s.nick) : room.jid;
  return x("message", { type: "groupchat", from, id: `subject-${Date.now().toString(36)}` }, x("subject", {}, s?.text ?? ""));
}

export function sendSubject(env: MucEnv, room: MucRoom, to: string): void {
  sendTo(env, to, subjectMessage(room));
}
