// XEP-0133 Service Administration: account and session commands (§4.1 add-user, §4.2 delete-user,
// §4.4 end-user-session, §4.7 change-user-password, §4.9 get-user-lastlogin, §4.13-4.16 user
// counts and lists) and chatctl's detailed online-users table, hosted by the adhoc module. Every
// command is "admin": the adhoc engine checks the requester's rights at each step.
//
// References:
//   https://xmpp.org/extensions/xep-0133.html   service administration
//   https://xmpp.org/extensions/xep-0004.html   §3.4 reported/item tables (detailed list)
import type { UserEvent } from "../../router/events.js";
import type { ModuleContext, ServerModule } from "../../server/module-api.js";
import { StanzaError, StreamError } from "../../stanza/errors.js";
import type { Session } from "../../stream/session.js";
import {
  ADMIN_NODE,
  type AdhocResult,
  type DataForm,
  type Field,
  fieldValue,
  provideAdhocCommand,
} from "../adhoc/index.js";
import { formCommand, localJids, requireValue, resultCommand, resultForm } from "../adhoc/helpers.js";
import { describeSession, ONLINE_COLUMNS, VersionProber, type OnlineResource } from "./online.js";

type LastLogout = { at: number; status: string };

export interface AdminAdhocOptions {
  /** How long the detailed list waits for clients' XEP-0092 answers. Default 2 s. */
  versionTimeoutMs?: number;
}

const MAX_ITEMS_OPTIONS = ["25", "50", "75", "100", "150", "200", "none"];

export function createAdminAdhocModule(options: AdminAdhocOptions = {}): ServerModule {
  return {
    name: "admin-adhoc",
    setup(ctx) {
      const lastlogout = ctx.keyval<LastLogout>("lastlogout");
      const prober = new VersionProber(ctx);
      const provide = provideAdhocCommand.bind(null, ctx);
      const done = (text: string, fields?: Field[]): AdhocResult => ({
        status: "completed",
        notes: [{ type: "info", text }],
        ...(fields ? { form: resultForm(fields) } : {}),
      });

      provide(
        formCommand({
          node: ADMIN_NODE.ADD_USER,
          name: "Add User",
          permission: "admin",
          form: () => ({
            title: "Adding a User",
            instructions: ["Fill out this form to add a user."],
            fields: [
              { var: "accountjid", type: "jid-single", label: "The Jabber ID for the account to be added", required: true, values: [] },
              { var: "password", type: "text-private", label: "The password for this account", required: true, values: [] },
              { var: "password-verify", type: "text-private", label: "Retype password", required: true, values: [] },
              { var: "email", type: "text-single", label: "Email address", values: [] },
              { var: "given_name", type: "text-single", label: "Given name", values: [] },
              { var: "surname", type: "text-single", label: "Family name", values: [] },
            ],
          }),
          submit(form) {
            const jids = localJids(form, "accountjid", ctx.host);
            if (jids instanceof StanzaError) return jids;
            const password = requireValue(form, "password");
            if (password instanceof StanzaError) return password;
            const verify = fieldValue(form, "password-verify");
            if (verify !== undefined && verify !== password) return new StanzaError("bad-request", "the passwords do not match");
            const user = jids[0]!.local;
            if (ctx.auth.userExists(user)) return new StanzaError("conflict", `${user}@${ctx.host} already exists`);
            try {
              ctx.auth.createUser(user, password);
            } catch (err) {
              return new StanzaError("not-acceptable", err instanceof Error ? err.message : String(err));
            }
            ctx.fire<UserEvent>("user-created", { username: user, host: ctx.host });
            ctx.log.info({ user }, "account created by an administrator");
            return done(`User ${user}@${ctx.host} created.`);
          },
        }),
      );

      provide(
        formCommand({
          node: ADMIN_NODE.DELETE_USER,
          name: "Delete User",
          permission: "admin",
          form: () => ({
            title: "Deleting a User",
            instructions: ["Fill out this form to delete a user."],
            fields: [{ var: "accountjids", type: "jid-multi", label: "The Jabber ID(s) to delete", required: true, values: [] }],
          }),
          submit(form) {
            const jids = localJids(form, "accountjids", ctx.host);
            if (jids instanceof StanzaError) return jids;
            const missing = jids.filter((j) => !ctx.auth.userExists(j.local));
            if (missing.length) return new StanzaError("item-not-found", `no such account: ${missing.join(", ")}`);
            for (const jid of jids) {
              endSessions(ctx, ctx.sessions.forUser(jid.local), "the account was deleted");
              ctx.auth.deleteUser(jid.local);
              // Modules undo what involves others (subscriptions …), then every row of the account goes.
              ctx.fire<UserEvent>("user-deleted", { username: jid.local, host: ctx.host });
              ctx.storage.deleteUser(ctx.host, jid.local);
            }
            ctx.log.info({ users: jids.map(String) }, "accounts deleted by an administrator");
            return done(`Deleted ${jids.map(String).join(", ")}.`);
          },
        }),
      );

      provide(
        formCommand({
          node: ADMIN_NODE.END_USER_SESSION,
          name: "End User Session",
          permission: "admin",
          form: () => ({
            title: "Ending a User Session",
            instructions: ["A bare JID ends all of the user's sessions, a full JID that one."],
            fields: [{ var: "accountjids", type: "jid-multi", label: "The Jabber ID(s) whose sessions to end", required: true, values: [] }],
          }),
          submit(form) {
            const jids = localJids(form, "accountjids", ctx.host, { allowFull: true });
            if (jids instanceof StanzaError) return jids;
            const targets = jids.flatMap((j) => (j.isBare ? ctx.sessions.forUser(j.local) : [ctx.sessions.get(j.local, j.resource)].filter((s): s is Session => s !== undefined)));
            endSessions(ctx, targets, "an administrator ended this session");
            return done(`Ended ${targets.length} ${targets.length === 1 ? "session" : "sessions"}.`, [
              { var: "sessions", type: "text-single", label: "Sessions ended", values: [String(targets.length)] },
            ]);
          },
        }),
      );

      provide(
        formCommand({
          node: ADMIN_NODE.CHANGE_USER_PASSWORD,
          name: "Change User Password",
          permission: "admin",
          form: () => ({
            title: "Changing a User Password",
            fields: [
              { var: "accountjid", type: "jid-single", label: "The Jabber ID whose password to change", required: true, values: [] },
              { var: "password", type: "text-private", label: "The new password", required: true, values: [] },
            ],
          }),
          submit(form) {
            const jids = localJids(form, "accountjid", ctx.host);
            if (jids instanceof StanzaError) return jids;
            const password = requireValue(form, "password");
            if (password instanceof StanzaError) return password;
            const user = jids[0]!.local;
            if (!ctx.auth.userExists(user)) return new StanzaError("item-not-found", `no such account: ${user}@${ctx.host}`);
            try {
              ctx.auth.setPassword(user, password);
            } catch (err) {
              return new StanzaError("not-acceptable", err instanceof Error ? err.message : String(err));
            }
            return done(`Password of ${user}@${ctx.host} changed.`);
          },
        }),
      );

      provide(
        formCommand({
          node: ADMIN_NODE.GET_USER_LASTLOGIN,
          name: "Get User Last Login Time",
          permission: "admin",
          form: () => ({
            title: "Getting a User's Last Login Time",
            fields: [{ var: "accountjid", type: "jid-single", label: "The Jabber ID to query", required: true, values: [] }],
          }),
          submit(form) {
            const jids = localJids(form, "accountjid", ctx.host);
            if (jids instanceof StanzaError) return jids;
            const user = jids[0]!.local;
            if (!ctx.auth.userExists(user)) return new StanzaError("item-not-found", `no such account: ${user}@${ctx.host}`);
            const online = ctx.sessions.isOnline(user);
            const last = lastlogout.get(user);
            // The "last" module records logouts; a connected user is logged in now.
            const value = online ? new Date().toISOString() : last ? new Date(last.at).toISOString() : "";
            const note = online ? `${user}@${ctx.host} is online now.` : last ? `${user}@${ctx.host} last logged out at ${value}.` : `${user}@${ctx.host} has not logged out since records began.`;
            return done(note, [
              { var: "accountjid", type: "jid-single", values: [`${user}@${ctx.host}`] },
              { var: "lastlogin", type: "text-single", label: "Last login", values: value ? [value] : [] },
              { var: "online", type: "boolean", values: [online ? "1" : "0"] },
            ]);
          },
        }),
      );

      provide(
        resultCommand({
          node: ADMIN_NODE.GET_REGISTERED_USERS_NUM,
          name: "Get Number of Registered Users",
          permission: "admin",
          run: () => {
            const n = ctx.auth.listUsers().length;
            return done(`${n} registered ${n === 1 ? "user" : "users"}.`, [{ var: "registeredusersnum", type: "text-single", label: "The number of registered users", values: [String(n)] }]);
          },
        }),
      );
      provide(
        resultCommand({
          node: ADMIN_NODE.GET_ONLINE_USERS_NUM,
          name: "Get Number of Online Users",
          permission: "admin",
          run: () => {
            const users = [...ctx.sessions.users()].length;
            return done(`${users} online ${users === 1 ? "user" : "users"} (${ctx.sessions.size} ${ctx.sessions.size === 1 ? "session" : "sessions"}).`, [
              { var: "onlineusersnum", type: "text-single", label: "The number of online users", values: [String(users)] },
              { var: "onlinesessionsnum", type: "text-single", label: "The number of connected resources", values: [String(ctx.sessions.size)] },
            ]);
          },
        }),
      );

      const listCommand = (node: string, name: string, resultVar: string, label: string, list: () => string[]) =>
        formCommand({
          node,
          name,
          permission: "admin",
          form: () => ({
            title: name,
            fields: [{ var: "max_items", type: "list-single", label: "Maximum number of items to show", values: ["none"], options: MAX_ITEMS_OPTIONS.map((v) => ({ label: v, value: v })) }],
          }),
          submit(form) {
            const max = fieldValue(form, "max_items");
            const limit = max === undefined || max === "none" || !/^\d+$/.test(max) ? Infinity : Number(max);
            const all = list();
            const shown = all.slice(0, limit);
            return done(`${shown.length} of ${all.length} shown.`, [{ var: resultVar, type: "jid-multi", label, values: shown }]);
          },
        });
      // §4.15: one entry per connected resource (full JIDs), so two devices of one user are both seen.
      const onlineList = () => [...ctx.sessions.all()].flatMap((s) => (s.jid ? [s.jid.toString()] : [])).sort();
      provide(listCommand(ADMIN_NODE.GET_ONLINE_USERS_LIST, "Get List of Online Users", "onlineuserjids", "The list of all online users", onlineList));
      provide(listCommand(ADMIN_NODE.GET_ONLINE_USERS, "Get List of Online Users (legacy node)", "onlineuserjids", "The list of all online users", onlineList));
      provide(
        listCommand(ADMIN_NODE.GET_REGISTERED_USERS_LIST, "Get List of Registered Users", "registereduserjids", "The list of all users", () =>
          ctx.auth.listUsers().map((u) => `${u}@${ctx.host}`),
        ),
      );

      provide(
        resultCommand({
          node: ADMIN_NODE.ONLINE_USERS_DETAILED,
          name: "Get Online Users in Detail",
          permission: "admin",
          run: async () => {
            const sessions = [...ctx.sessions.all()];
            const versions = await prober.probe(sessions, options.versionTimeoutMs ?? 2000);
            const rows = sessions.map((s) => describeSession(s, versions.get(s))).sort((a, b) => (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0));
            return { status: "completed", notes: [{ type: "info", text: `${rows.length} connected ${rows.length === 1 ? "resource" : "resources"}.` }], form: detailedForm(rows) };
          },
        }),
      );
    },
  };
}

export const adminAdhocModule: ServerModule = createAdminAdhocModule();

function endSessions(ctx: ModuleContext, sessions: Session[], why: string): void {
  for (const s of sessions) {
    ctx.log.info({ session: s.id, jid: s.jid?.toString() }, why);
    s.close(new StreamError("policy-violation", why));
  }
}

/** XEP-0004 §3.4: a table with one item per resource; empty values are left out. */
function detailedForm(rows: OnlineResource[]): DataForm {
  return {
    type: "result",
    title: "Online users",
    fields: [],
    reported: ONLINE_COLUMNS.map((c) => ({ var: c.key, label: c.label, type: "text-single", values: [] })),
    items: rows.map((r) => ONLINE_COLUMNS.map((c) => ({ var: c.key, values: r[c.key] === null || r[c.key] === "" ? [] : [String(r[c.key])] }))),
  };
}
