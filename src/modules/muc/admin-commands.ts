// `chatctl muc list|info|destroy` on the server side: chatctl's own XEP-0050 commands on the main
// host (urn:chatctl:admin#muc-*, beside the XEP-0133 ones; the CLI reaches them over XMPP or the
// local admin socket like every other admin command). Each command asks the MUC service what
// XEP-0045 lets a service administrator ask — disco#items/#info of the service and rooms (§6),
// the owner's configuration form (§10.2), affiliation and role lists (§9.5, §10.5, §8.5), the
// owner's destroy (§10.9) — through ServiceClient, so the commands hold no room logic of their own.
import { Jid } from "../../jid/jid.js";
import type { ServerModule } from "../../server/module-api.js";
import { StanzaError } from "../../stanza/errors.js";
import { type Element, x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { ADHOC_NS, type AdhocResult, type DataForm, type Field, fieldValue, provideAdhocCommand } from "../adhoc/index.js";
import { formCommand, requireValue, resultCommand } from "../adhoc/helpers.js";
import { ARCHIVE_NS } from "../mam/ns.js";
import { MUC_NS } from "./ns.js";
import { ServiceClient } from "./service-client.js";

export const MUC_ADMIN_NODE = {
  LIST: `${ADHOC_NS.CHATCTL_ADMIN}#muc-list`,
  INFO: `${ADHOC_NS.CHATCTL_ADMIN}#muc-info`,
  DESTROY: `${ADHOC_NS.CHATCTL_ADMIN}#muc-destroy`,
} as const;

/** The columns of the room list (XEP-0004 §3.4 table), in order. */
export const ROOM_LIST_COLUMNS = ["jid", "name", "occupants", "persistent", "public", "membersonly", "passwordprotected", "moderated", "nonanonymous", "archived"] as const;
/** The columns of the occupant table of muc-info. */
export const OCCUPANT_COLUMNS = ["nick", "role", "affiliation", "jid"] as const;
const AFFILIATION_LISTS = [
  ["owner", "owners"],
  ["admin", "admins"],
  ["member", "members"],
  ["outcast", "outcasts"],
] as const;

export const mucAdminModule: ServerModule = {
  name: "muc-admin",
  setup(ctx) {
    const client = new ServiceClient(ctx);
    const provide = provideAdhocCommand.bind(null, ctx);
    const service = async (): Promise<string | AdhocResult> => (await client.findService()) ?? noSuchRoom("this server has no group chat service (services.conference is off)");
    const roomField: Field = { var: "room", type: "jid-single", label: "The room (name, or name@service)", required: true, values: [] };

    provide(
      resultCommand({
        node: MUC_ADMIN_NODE.LIST,
        name: "List Chat Rooms",
        permission: "admin",
        run: async () => {
          const svc = await service();
          if (typeof svc !== "string") return svc;
          const items = await client.request("get", svc, x("query", { xmlns: NS.DISCO_ITEMS }));
          if (items instanceof StanzaError) return items;
          const jids = (items.getChild("query", NS.DISCO_ITEMS)?.getChildren("item") ?? []).map((i) => i.attrs.jid ?? "").filter((j) => j !== "").sort();
          const rows: Field[][] = [];
          for (const jid of jids) {
            const info = await client.request("get", jid, x("query", { xmlns: NS.DISCO_INFO }));
            // A room destroyed between the two requests is simply no longer listed.
            if (info instanceof StanzaError) continue;
            const room = describeRoom(info);
            const row: Record<(typeof ROOM_LIST_COLUMNS)[number], string> = {
              jid,
              name: room.name,
              occupants: room.occupants,
              persistent: flag(room.features.has("muc_persistent")),
              public: flag(room.features.has("muc_public")),
              membersonly: flag(room.features.has("muc_membersonly")),
              passwordprotected: flag(room.features.has("muc_passwordprotected")),
              moderated: flag(room.features.has("muc_moderated")),
              nonanonymous: flag(room.features.has("muc_nonanonymous")),
              archived: flag(room.features.has(ARCHIVE_NS.MAM)),
            };
            rows.push(ROOM_LIST_COLUMNS.map((c) => ({ var: c, values: [row[c]] })));
          }
          return {
            status: "completed",
            notes: [{ type: "info", text: `${rows.length} ${rows.length === 1 ? "room" : "rooms"} on ${svc}.` }],
            form: table(`Rooms on ${svc}`, [{ var: "service", type: "jid-single", values: [svc] }], ROOM_LIST_COLUMNS, rows),
          };
        },
      }),
    );

    provide(
      formCommand({
        node: MUC_ADMIN_NODE.INFO,
        name: "Show a Chat Room",
        permission: "admin",
        form: () => ({ title: "Show a chat room", fields: [roomField] }),
        submit: async (form) => {
          const svc = await service();
          if (typeof svc !== "string") return svc;
          const room = roomJid(form, svc);
          if (typeof room !== "string") return room;
          return await roomInfo(client, room);
        },
      }),
    );

    provide(
      formCommand({
        node: MUC_ADMIN_NODE.DESTROY,
        name: "Destroy a Chat Room",
        permission: "admin",
        form: () => ({
          title: "Destroy a chat room",
          instructions: ["Its occupants are told, with the reason and the alternate venue if given; its archive is deleted."],
          fields: [
            roomField,
            { var: "reason", type: "text-single", label: "Why (told to the occupants)", values: [] },
            { var: "alternate", type: "jid-single", label: "An alternate venue (a room JID)", values: [] },
          ],
        }),
        submit: async (form) => {
          const svc = await service();
          if (typeof svc !== "string") return svc;
          const room = roomJid(form, svc);
          if (typeof room !== "string") return room;
          const alternateText = fieldValue(form, "alternate")?.trim();
          const alternate = alternateText ? Jid.tryParse(alternateText) : undefined;
          if (alternateText && (!alternate || alternate.local === "" || !alternate.isBare)) return new StanzaError("jid-malformed", `"${alternateText}" is not a room JID`);
          const reason = fieldValue(form, "reason")?.trim();
          // §10.9: the owner's destroy request, sent as the service administrator.
          const destroy = x("destroy", { jid: alternate?.toString() }, reason ? x("reason", null, reason) : undefined);
          const done = await client.request("set", room, x("query", { xmlns: MUC_NS.OWNER }, destroy));
          if (done instanceof StanzaError) return done.condition === "item-not-found" ? noSuchRoom(`no room ${room}`) : done;
          ctx.log.info({ room, reason, alternate: alternate?.toString() }, "room destroyed by an administrator");
          return { status: "completed", notes: [{ type: "info", text: `Room ${room} destroyed.` }], form: { type: "result", fields: [{ var: "room", type: "jid-single", values: [room] }] } };
        },
      }),
    );
  },
};

/** The room a form names: a bare name is on the MUC service; a JID must be one of its rooms. */
function roomJid(form: DataForm, service: string): string | AdhocResult {
  const value = requireValue(form, "room");
  if (value instanceof StanzaError) return value;
  const jid = Jid.tryParse(value.includes("@") ? value.trim() : `${value.trim()}@${service}`);
  if (!jid || jid.local === "" || !jid.isBare) return new StanzaError("jid-malformed", `"${value}" is not a room (name or name@${service})`);
  if (jid.domain !== service) return noSuchRoom(`${jid.toString()} is not a room of ${service}`);
  return jid.toString();
}

/**
 * XEP-0050 §4.4 note of type "error" in a completed command: the command ran, the room it names
 * does not exist. (An item-not-found stanza error would read as "no such command", §4.6.)
 */
function noSuchRoom(text: string): AdhocResult {
  return { status: "completed", notes: [{ type: "error", text }] };
}

interface RoomDescription {
  name: string;
  features: Set<string>;
  /** muc#roominfo fields by var. */
  info: Map<string, string>;
  occupants: string;
}

/** What a room's disco#info says (XEP-0045 §6.4). */
function describeRoom(result: Element): RoomDescription {
  const query = result.getChild("query", NS.DISCO_INFO);
  const features = new Set((query?.getChildren("feature") ?? []).map((f) => f.attrs.var ?? ""));
  const info = new Map<string, string>();
  for (const field of query?.getChild("x", NS.DATA_FORMS)?.getChildren("field") ?? []) {
    if (field.attrs.var !== undefined) info.set(field.attrs.var, field.getChildText("value") ?? "");
  }
  return { name: query?.getChild("identity")?.attrs.name ?? "", features, info, occupants: info.get("muc#roominfo_occupants") ?? "" };
}

/** muc-info: the room's description, configuration, affiliations and occupants. */
async function roomInfo(client: ServiceClient, room: string): Promise<AdhocResult> {
  const disco = await client.request("get", room, x("query", { xmlns: NS.DISCO_INFO }));
  if (disco instanceof StanzaError) return disco.condition === "item-not-found" ? noSuchRoom(`no room ${room}`) : disco;
  const described = describeRoom(disco);
  const fields: Field[] = [
    { var: "room", type: "jid-single", values: [room] },
    { var: "name", type: "text-single", values: [described.name] },
    { var: "description", type: "text-single", values: [described.info.get("muc#roominfo_description") ?? ""] },
    { var: "subject", type: "text-single", values: [described.info.get("muc#roominfo_subject") ?? ""] },
    { var: "occupantsnum", type: "text-single", values: [described.occupants] },
  ];

  // §10.2: the configuration, as the owner's form shows it (the room password is left out).
  const owner = await client.request("get", room, x("query", { xmlns: MUC_NS.OWNER }));
  if (owner instanceof StanzaError) return owner;
  for (const f of owner.getChild("query", MUC_NS.OWNER)?.getChild("x", NS.DATA_FORMS)?.getChildren("field") ?? []) {
    const name = f.attrs.var;
    if (name === undefined || name === "FORM_TYPE" || f.attrs.type === "text-private") continue;
    fields.push({ var: name, type: f.attrs.type, label: f.attrs.label, values: f.getChildren("value").map((v) => v.getText()) });
  }

  // §9.5, §10.5: the affiliation lists.
  for (const [affiliation, listVar] of AFFILIATION_LISTS) {
    const list = await client.request("get", room, x("query", { xmlns: MUC_NS.ADMIN }, x("item", { affiliation })));
    if (list instanceof StanzaError) return list;
    const jids = (list.getChild("query", MUC_NS.ADMIN)?.getChildren("item") ?? []).map((i) => i.attrs.jid ?? "").filter((j) => j !== "");
    fields.push({ var: listVar, type: "jid-multi", values: jids });
  }

  // §8.5: the occupants, one role list at a time.
  const rows: Field[][] = [];
  for (const role of ["moderator", "participant", "visitor"] as const) {
    const list = await client.request("get", room, x("query", { xmlns: MUC_NS.ADMIN }, x("item", { role })));
    if (list instanceof StanzaError) return list;
    for (const item of list.getChild("query", MUC_NS.ADMIN)?.getChildren("item") ?? []) {
      rows.push(OCCUPANT_COLUMNS.map((c) => ({ var: c, values: [item.attrs[c] ?? ""] })));
    }
  }
  rows.sort((a, b) => (a[0]!.values[0]! < b[0]!.values[0]! ? -1 : 1));
  return { status: "completed", form: table(`Room ${room}`, fields, OCCUPANT_COLUMNS, rows) };
}

function flag(b: boolean): string {
  return b ? "1" : "0";
}

/** A result form with fields and a XEP-0004 §3.4 table. */
function table(title: string, fields: Field[], columns: readonly string[], rows: Field[][]): DataForm {
  return {
    type: "result",
    title,
    fields: [{ var: "FORM_TYPE", type: "hidden", values: [ADHOC_NS.ADMIN] }, ...fields],
    reported: columns.map((c) => ({ var: c, label: c, type: "text-single", values: [] })),
    items: rows,
  };
}
