// Announcements and the message of the day as XEP-0133 commands (§4.23 announce, §4.24 set-motd,
// §4.25 edit-motd, §4.26 delete-motd), plus chatctl's announce-to-everyone and announce-to-a-group.
// The sending itself is services/broadcast.ts, shared with the CLI's local channel; this module is
// the thin adapter (STYLE-ANCHORS §1.9: mod_announce shares one function between its entry points).
//
// References:
//   https://xmpp.org/extensions/xep-0133.html   service administration
//   https://xmpp.org/extensions/xep-0050.html   ad-hoc commands (the adhoc module hosts these)
import { type InternalAuthProvider } from "../../auth/internal.js";
import type { AuthProvider } from "../../auth/types.js";
import type { StanzaEvent } from "../../router/events.js";
import { Priority } from "../../router/priority.js";
import type { ModuleContext, ServerModule } from "../../server/module-api.js";
import { type Audience, type BroadcastHost, type BroadcastOptions, broadcast, announcementStanza } from "../../services/broadcast.js";
import { StanzaError } from "../../stanza/errors.js";
import { presenceType } from "../../stanza/stanza.js";
import { type AdhocResult, type DataForm, type Field, fieldBoolean, fieldValue, lines, provideAdhocCommand, ADMIN_NODE } from "../adhoc/index.js";
import { formCommand, requireValue, resultCommand, resultForm } from "../adhoc/helpers.js";

/** The keyval store (user key "") holding the current MOTD. */
export const MOTD_STORE = "motd";
const MOTD_KEY = "";

type Motd = { subject: string; body: string; setAt: number };

/** chatctl's extra fields on announce forms: count without sending. */
export const DRY_RUN_FIELD = "dry-run";

export interface AnnounceModuleOptions {
  broadcast?: Pick<BroadcastOptions, "batchSize" | "schedule">;
}

export function createAnnounceModule(options: AnnounceModuleOptions = {}): ServerModule {
  return {
    name: "announce",
    setup(ctx) {
      const motdStore = ctx.keyval<Motd>(MOTD_STORE);
      const host = broadcastHost(ctx);

      const announceCommand = (node: string, name: string, audience: (form: DataForm) => Audience | StanzaError, extra: Field[] = []) =>
        formCommand({
          node,
          name,
          permission: "admin",
          form: () => ({
            title: name,
            instructions: ["Fill out this form to make an announcement."],
            fields: [
              ...extra,
              { var: "subject", type: "text-single", label: "Subject", values: [] },
              { var: "announcement", type: "text-multi", label: "Announcement", required: true, values: [] },
              { var: DRY_RUN_FIELD, type: "boolean", label: "Only count the recipients", values: ["0"] },
            ],
          }),
          async submit(form): Promise<AdhocResult> {
            const body = requireValue(form, "announcement");
            if (body instanceof StanzaError) return body;
            const target = audience(form);
            if (target instanceof StanzaError) return target;
            const report = await broadcast(
              host,
              target,
              { from: ctx.host, subject: fieldValue(form, "subject"), body },
              { ...options.broadcast, dryRun: fieldBoolean(form, DRY_RUN_FIELD) === true },
            );
            ctx.log.info({ node, ...report }, "announcement sent");
            const verb = report.dryRun ? "would reach" : "sent to";
            return {
              status: "completed",
              notes: [{ type: "info", text: `Announcement ${verb} ${report.recipients} ${report.recipients === 1 ? "user" : "users"}` + (report.offline ? ` (${report.offline} offline, delivered at next login)` : "") + "." }],
              form: resultForm([
                { var: "recipients", type: "text-single", label: "Recipients", values: [String(report.recipients)] },
                { var: "online", type: "text-single", label: "Online", values: [String(report.online)] },
                { var: "offline", type: "text-single", label: "Offline", values: [String(report.offline)] },
                { var: DRY_RUN_FIELD, type: "boolean", values: [report.dryRun ? "1" : "0"] },
              ]),
            };
          },
        });

      provideAdhocCommand(ctx, announceCommand(ADMIN_NODE.ANNOUNCE, "Send Announcement to Online Users", () => ({ kind: "online" })));
      provideAdhocCommand(ctx, announceCommand(ADMIN_NODE.ANNOUNCE_ALL, "Send Announcement to All Users", () => ({ kind: "all" })));
      provideAdhocCommand(
        ctx,
        announceCommand(
          ADMIN_NODE.ANNOUNCE_GROUP,
          "Send Announcement to a Group",
          (form) => {
            const group = fieldValue(form, "group")?.trim();
            return group ? { kind: "group", group } : new StanzaError("bad-request", 'the field "group" is required');
          },
          [{ var: "group", type: "text-single", label: "Group", required: true, values: [] }],
        ),
      );

      const motdForm = (current: Motd | undefined) => ({
        title: "Message of the Day",
        instructions: ["The message of the day is sent to every user when they log in."],
        fields: [
          { var: "subject", type: "text-single", label: "Subject", values: current?.subject ? [current.subject] : [] },
          { var: "motd", type: "text-multi", label: "Message of the Day", required: true, values: current ? lines(current.body) : [] },
        ],
      });
      const saveMotd = (form: DataForm): AdhocResult => {
        // "motd" is XEP-0133's field; "announcement" is accepted from clients that reuse that form.
        const body = fieldValue(form, "motd") ?? fieldValue(form, "announcement");
        if (body === undefined || body.trim() === "") return new StanzaError("bad-request", 'the field "motd" is required');
        motdStore.set(MOTD_KEY, { subject: fieldValue(form, "subject") ?? "", body, setAt: Date.now() });
        return { status: "completed", notes: [{ type: "info", text: "Message of the day set." }] };
      };
      provideAdhocCommand(ctx, formCommand({ node: ADMIN_NODE.SET_MOTD, name: "Set Message of the Day", permission: "admin", form: () => motdForm(undefined), submit: saveMotd }));
      provideAdhocCommand(ctx, formCommand({ node: ADMIN_NODE.EDIT_MOTD, name: "Edit Message of the Day", permission: "admin", form: () => motdForm(motdStore.get(MOTD_KEY)), submit: saveMotd }));
      provideAdhocCommand(
        ctx,
        resultCommand({
          node: ADMIN_NODE.DELETE_MOTD,
          name: "Delete Message of the Day",
          permission: "admin",
          run: () => {
            const had = motdStore.get(MOTD_KEY) !== undefined;
            motdStore.set(MOTD_KEY, undefined);
            return { status: "completed", notes: [{ type: "info", text: had ? "Message of the day deleted." : "There was no message of the day." }] };
          },
        }),
      );

      // The MOTD goes out with the user's initial presence (RFC 6121 §4.2), once per session. This
      // only looks (FILTER, returns undefined); the presence module still handles the presence.
      ctx.hook<StanzaEvent>("presence/self", (ev) => {
        const session = ev.origin;
        if (!session?.jid || session.presence !== undefined || presenceType(ev.stanza) !== "available" || ev.stanza.attrs.to !== undefined) return undefined;
        const motd = motdStore.get(MOTD_KEY);
        if (!motd) return undefined;
        const to = session.jid.toString();
        // After the presence module has made the session available.
        setImmediate(() => ctx.route(announcementStanza({ from: ctx.host, subject: motd.subject, body: motd.body, type: "headline" }, to)));
        return undefined;
      }, Priority.FILTER);
    },
  };
}

export const announceModule: ServerModule = createAnnounceModule();

function broadcastHost(ctx: ModuleContext): BroadcastHost {
  return {
    domain: ctx.host,
    onlineUsers: () => ctx.sessions.users(),
    resourcesOf: (user) => ctx.sessions.forUser(user).flatMap((s) => (s.jid ? [s.jid.toString()] : [])),
    registeredUsers: () => ctx.auth.listUsers(),
    groupMembers: (group) => groupMembers(ctx.auth, group),
    route: (stanza) => ctx.route(stanza),
  };
}

/** Providers with a membership index answer directly; others are asked user by user. */
function groupMembers(auth: AuthProvider, group: string): string[] {
  const indexed = auth as Partial<Pick<InternalAuthProvider, "groupMembers">>;
  if (typeof indexed.groupMembers === "function") return indexed.groupMembers.call(auth, group);
  return auth.listUsers().filter((u) => auth.groups(u).includes(group));
}
