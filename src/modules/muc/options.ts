// The muc module's settings: the `muc` section of the configuration.
import type { Config } from "../../config/types.js";

export type MucOptions = Config["muc"];

export const MUC_DEFAULTS: Readonly<MucOptions> = Object.freeze({ historyLength: 20, maxHistoryLength: 100, roomCreation: "local", archiveByDefault: true });

export function mucOptions(config: Config | undefined): MucOptions {
  const options: MucOptions = { ...MUC_DEFAULTS, ...config?.muc };
  options.historyLength = Math.min(options.historyLength, options.maxHistoryLength);
  return options;
}
