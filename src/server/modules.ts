// The module list: adding a XEP is one folder under src/modules and one line here.
import { bindModule } from "../modules/bind/index.js";
import { iqModule } from "../modules/iq/index.js";
import { messageModule } from "../modules/message/index.js";
import { saslModule } from "../modules/saslauth/index.js";
import { tlsModule } from "../modules/tls/index.js";
import { discoModule } from "../modules/disco/index.js";
import { lastModule } from "../modules/last/index.js";
import { presenceModule } from "../modules/presence/index.js";
import { rosterModule } from "../modules/roster/index.js";
import { adhocModule } from "../modules/adhoc/index.js";
import { adminAdhocModule } from "../modules/admin-adhoc/index.js";
import { createAdminSocketModule } from "../modules/admin-adhoc/socket.js";
import { announceModule } from "../modules/announce/index.js";
import { mamModule } from "../modules/mam/index.js";
import { mucAdminModule } from "../modules/muc/admin-commands.js";
import { offlineModule } from "../modules/offline/index.js";
import { pingModule } from "../modules/ping/index.js";
import { privateModule } from "../modules/private/index.js";
import { pepModule } from "../modules/pep/index.js";
import { avatarConversionModule } from "../modules/avatar-conversion/index.js";
import { bookmarksCompatModule } from "../modules/bookmarks-compat/index.js";
import { timeModule } from "../modules/time/index.js";
import { vcardModule } from "../modules/vcard/index.js";
import { versionModule } from "../modules/version/index.js";
import type { ServerModule } from "./module-api.js";

export const coreModules: readonly ServerModule[] = [
  tlsModule,
  saslModule,
  bindModule,
  iqModule,
  rosterModule,
  presenceModule,
  messageModule,
  offlineModule,
  mamModule,
  // adhoc first: admin-adhoc and announce register their commands with it.
  adhocModule,
  adminAdhocModule,
  announceModule,
  mucAdminModule,
  createAdminSocketModule(),
  discoModule,
  pingModule,
  versionModule,
  timeModule,
  lastModule,
  vcardModule,
  privateModule,
  pepModule,
  avatarConversionModule,
  bookmarksCompatModule,
];
