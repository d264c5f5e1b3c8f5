// Every room option, in the order the configuration form shows them.
import { allowInvitesOption } from "./allow-invites.js";
import { archivingOption } from "./archiving.js";
import { changeSubjectOption } from "./change-subject.js";
import { descriptionOption } from "./description.js";
import { historyLengthOption } from "./history-length.js";
import { maxOccupantsOption } from "./max-occupants.js";
import { membersOnlyOption } from "./members-only.js";
import { moderatedOption } from "./moderated.js";
import { nameOption } from "./name.js";
import type { RoomOption } from "./option.js";
import { passwordProtectedOption, roomSecretOption } from "./password.js";
import { persistentOption } from "./persistent.js";
import { publicOption } from "./public.js";
import { whoisOption } from "./whois.js";

export type { RoomOption } from "./option.js";

export const roomOptions: readonly RoomOption[] = [
  nameOption,
  descriptionOption,
  persistentOption,
  publicOption,
  membersOnlyOption,
  moderatedOption,
  roomSecretOption,
  passwordProtectedOption,
  maxOccupantsOption,
  whoisOption,
  changeSubjectOption,
  allowInvitesOption,
  historyLengthOption,
  archivingOption,
];
