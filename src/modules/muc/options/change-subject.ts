// muc#roomconfig_changesubject (§10.2, §8.1): participants, not only moderators, may set the subject.
import { booleanOption } from "./option.js";

export const changeSubjectOption = booleanOption("changeSubject", "muc#roomconfig_changesubject", "Allow participants to change the subject");
