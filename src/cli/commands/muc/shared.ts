// What the `muc` commands share: the server-side command nodes (modules/muc/admin-commands.ts, kept
// as literals so the CLI does not load server code), reading a room argument, and result fields.
import { InvalidArgumentError } from "commander";
import type { AdminChannel, CommandResult, FieldValues } from "../../../admin/client.js";
import { ChatctlError, ExitCode } from "../../../errors.js";

export const MUC_NODE = {
  LIST: "urn:chatctl:admin#muc-list",
  INFO: "urn:chatctl:admin#muc-info",
  DESTROY: "urn:chatctl:admin#muc-destroy",
} as const;

/**
 * A room as the user names it: `name` (a room of the server's MUC service) or `name@service`.
 * Anything with a resource or without a name is a usage error (exit 2).
 */
export function parseRoom(value: string): string {
  const v = value.trim();
  const at = v.indexOf("@");
  const local = at < 0 ? v : v.slice(0, at);
  const domain = at < 0 ? "" : v.slice(at + 1);
  if (local === "" || v.includes("/") || (at >= 0 && (domain === "" || domain.includes("@"))) || /\s/.test(v)) {
    throw new InvalidArgumentError(`expected a room name or room@service, got "${value}".`);
  }
  return v;
}

/** A bare room JID for --alternate. */
export function parseRoomJid(value: string): string {
  const v = parseRoom(value);
  if (!v.includes("@")) throw new InvalidArgumentError(`expected a room JID (room@service), got "${value}".`);
  return v;
}

export function one(result: CommandResult, name: string): string {
  return result.fields.get(name)?.values[0] ?? "";
}

export function many(result: CommandResult, name: string): string[] {
  return result.fields.get(name)?.values ?? [];
}

export function cell(row: Record<string, string[]>, name: string): string {
  return row[name]?.[0] ?? "";
}

export function yesNo(b: boolean): string {
  return b ? "yes" : "no";
}

/**
 * Runs a muc command; a completed command whose note is an error (the room does not exist, the
 * server has no group chat service) is a failed operation: exit 1 with the server's words.
 */
export async function runMucCommand(client: AdminChannel, node: string, values?: FieldValues): Promise<CommandResult> {
  const result = await client.run(node, values);
  const error = result.notes.find((n) => n.type === "error");
  if (error) throw new ChatctlError("CHATCTL_E_MUC_FAILED", error.text, ExitCode.FAILED, "see the rooms with: chatctl muc list");
  return result;
}
