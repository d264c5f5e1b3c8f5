// One room configuration option (XEP-0045 §10.2, §15.5.3 muc#roomconfig): its form field, how it
// reads and writes the room's configuration, and the disco features it implies (§6.4, §15.4).
// Each option lives in its own file beside this one; options/index.ts lists them in form order.
import type { RoomConfig } from "../../../services/muc-room.js";
import type { MucOptions } from "../options.js";

export interface FormField {
  var: string;
  type: "boolean" | "text-single" | "text-private" | "list-single";
  label: string;
  options?: ReadonlyArray<{ label: string; value: string }>;
}

export interface RoomOption {
  readonly field: FormField;
  read(config: RoomConfig): string[];
  /** Applies submitted values; returns why they are unacceptable, if they are. */
  write(config: RoomConfig, values: readonly string[], limits: MucOptions): string | undefined;
  /** Disco features of a room with this configuration. */
  features?(config: RoomConfig): string[];
}

/** XEP-0004 §3.3: boolean values are "1"/"true" and "0"/"false". */
export function parseBoolean(values: readonly string[]): boolean | undefined {
  const v = values[0];
  if (v === "1" || v === "true") return true;
  if (v === "0" || v === "false") return false;
  return undefined;
}

type BooleanKey = { [K in keyof RoomConfig]: RoomConfig[K] extends boolean ? K : never }[keyof RoomConfig];

export function booleanOption(key: BooleanKey, fieldVar: string, label: string, features?: [onFeature: string, offFeature: string]): RoomOption {
  const option: RoomOption = {
    field: { var: fieldVar, type: "boolean", label },
    read: (c) => [c[key] ? "1" : "0"],
    write: (c, values) => {
      const b = parseBoolean(values);
      if (b === undefined) return `${fieldVar} must be a boolean`;
      c[key] = b;
      return undefined;
    },
  };
  if (features) option.features = (c) => [c[key] ? features[0] : features[1]];
  return option;
}

export function textOption(key: "name" | "description", fieldVar: string, label: string): RoomOption {
  return {
    field: { var: fieldVar, type: "text-single", label },
    read: (c) => [c[key]],
    write: (c, values) => {
      c[key] = (values[0] ?? "").slice(0, 1024);
      return undefined;
    },
  };
}
