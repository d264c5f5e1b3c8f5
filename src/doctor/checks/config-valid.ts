// config.valid: the configuration loads: the file parses, every key is known and valid, and the
// keys agree with each other (config/load.ts does the checking; this reports its verdict).
import type { SystemContext } from "../system/context.js";
import { fail, ok, type Check } from "../types.js";

export const configValidCheck: Check<SystemContext> = {
  id: "config.valid",
  title: "Configuration valid",
  async run(ctx) {
    if (!ctx.config.ok) {
      return fail(ctx.config.error.message, {
        hint: `${ctx.config.error.hint ?? "fix the configuration"}; then run chatctl doctor again (the other checks need a valid configuration)`,
      });
    }
    const { config } = ctx.config;
    const from = config.source ?? "no configuration file: built-in defaults";
    return ok(`${from}; domain ${config.domain}, data in ${config.dataDir}`);
  },
};
