// Namespaces and node names of XEP-0050 (Ad-Hoc Commands) and XEP-0133 (Service Administration).
// Kept beside the feature, like mam/ns.ts; candidates for src/xml/ns.ts.
export const ADHOC_NS = {
  /** XEP-0050 §2: the protocol namespace, also the disco#items node listing commands. */
  COMMANDS: "http://jabber.org/protocol/commands",
  /** XEP-0133 §4: prefix of every service administration node, and the forms' FORM_TYPE. */
  ADMIN: "http://jabber.org/protocol/admin",
  /** chatctl's own administration commands beyond XEP-0133. */
  CHATCTL_ADMIN: "urn:chatctl:admin",
} as const;

/** XEP-0133 node names (§4.1 … §4.27). */
export const ADMIN_NODE = {
  ADD_USER: `${ADHOC_NS.ADMIN}#add-user`,
  DELETE_USER: `${ADHOC_NS.ADMIN}#delete-user`,
  END_USER_SESSION: `${ADHOC_NS.ADMIN}#end-user-session`,
  CHANGE_USER_PASSWORD: `${ADHOC_NS.ADMIN}#change-user-password`,
  GET_USER_LASTLOGIN: `${ADHOC_NS.ADMIN}#get-user-lastlogin`,
  GET_REGISTERED_USERS_NUM: `${ADHOC_NS.ADMIN}#get-registered-users-num`,
  GET_ONLINE_USERS_NUM: `${ADHOC_NS.ADMIN}#get-online-users-num`,
  GET_REGISTERED_USERS_LIST: `${ADHOC_NS.ADMIN}#get-registered-users-list`,
  GET_ONLINE_USERS_LIST: `${ADHOC_NS.ADMIN}#get-online-users-list`,
  /** Older name of get-online-users-list that some clients still send. */
  GET_ONLINE_USERS: `${ADHOC_NS.ADMIN}#get-online-users`,
  ANNOUNCE: `${ADHOC_NS.ADMIN}#announce`,
  SET_MOTD: `${ADHOC_NS.ADMIN}#set-motd`,
  EDIT_MOTD: `${ADHOC_NS.ADMIN}#edit-motd`,
  DELETE_MOTD: `${ADHOC_NS.ADMIN}#delete-motd`,
  /** Beyond XEP-0133: announce to every registered account (offline ones at next login). */
  ANNOUNCE_ALL: `${ADHOC_NS.CHATCTL_ADMIN}#announce-all`,
  /** Beyond XEP-0133: announce to the members of one group. */
  ANNOUNCE_GROUP: `${ADHOC_NS.CHATCTL_ADMIN}#announce-group`,
  /** Beyond XEP-0133: one row per connected resource with address, TLS, client and presence. */
  ONLINE_USERS_DETAILED: `${ADHOC_NS.CHATCTL_ADMIN}#online-users-detailed`,
} as const;
