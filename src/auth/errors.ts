// Account errors shared by every provider, with stable codes (tests and the CLI match on `code`).
import { ChatctlError, ExitCode, UsageError } from "../errors.js";

export const AuthErrorCode = {
  USER_EXISTS: "CHATCTL_E_USER_EXISTS",
  USER_NOT_FOUND: "CHATCTL_E_USER_NOT_FOUND",
} as const;

export function userExistsError(user: string): ChatctlError {
  return new ChatctlError(AuthErrorCode.USER_EXISTS, `user ${JSON.stringify(user)} already exists`, ExitCode.FAILED, "pick another name, or change the existing account's password instead");
}

export function userNotFoundError(user: string): ChatctlError {
  return new ChatctlError(AuthErrorCode.USER_NOT_FOUND, `user ${JSON.stringify(user)} does not exist`, ExitCode.FAILED, "check the spelling; usernames are compared after JID preparation (case-insensitive)");
}

export function invalidUsernameError(user: string): UsageError {
  return new UsageError(`${JSON.stringify(user)} is not a valid username`, "usernames are JID localparts: no spaces, @, /, :, quotes, <, > or &, and at most 1023 bytes");
}
