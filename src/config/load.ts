// Builds the validated Config: built-in defaults < YAML file < CHATCTL_* variables < flags.
// Every value is checked by the schema where it enters, so an error names its own origin (file
// and line, variable or flag); rules between keys are checked last, against the merged result.
// Either the whole configuration is valid and returned, or a ConfigError is thrown.
import { dirname, resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { parseConfigText, readConfigText, unknownKey } from "./file.js";
import {
  CONFIG_KEYS,
  checkValue,
  defaultContext,
  defaultValue,
  envName,
  fixText,
  fromText,
  keySpec,
  type AnyKeySpec,
  type CheckContext,
  type ConfigPath,
  type Syntax,
} from "./schema.js";
import type { Config } from "./types.js";

export { configReference, describeConfig, exampleConfigYaml, type ConfigReferenceRow } from "./reference.js";

export const DEFAULT_CONFIG_PATH = "/etc/chatctl/chatctl.yml";

/** How ConfigError names flags, which have neither file nor variable. */
const COMMAND_LINE = "command line";

export interface LoadConfigOptions {
  /** The YAML file; DEFAULT_CONFIG_PATH when absent. */
  configPath?: string;
  /**
   * Whether the user asked for this file (e.g. --config). A missing file is an error then; a
   * missing default file just means "built-in defaults". Defaults to configPath !== undefined.
   */
  explicit?: boolean;
  /** Where CHATCTL_* variables (and HOME, XDG_DATA_HOME) are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Command-line values keyed by config path, e.g. { domain: "x", "listeners.c2s.port": 0 }; undefined entries are ignored. */
  flags?: Record<string, unknown>;
}

/** Where a value came from, for error messages. */
interface Origin {
  /** ConfigError's `file`: the file, "environment variable X", "command line", or undefined for a default. */
  where: string | undefined;
  line?: number;
  /** What the user should change: the key in a file, the variable's name, the flag. */
  target: string;
  syntax: Syntax;
  isDefault?: true;
}

export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  const defaults = defaultContext(env);
  const values = new Map<ConfigPath, unknown>();
  const origins = new Map<ConfigPath, Origin>();

  const set = (spec: AnyKeySpec, raw: unknown, origin: Origin, ctx: CheckContext, itemLines?: number[]) => {
    const checked = checkValue(spec, raw, ctx);
    if (!checked.ok) {
      const line = checked.index !== undefined ? (itemLines?.[checked.index] ?? origin.line) : origin.line;
      const fix = checked.fix ? checked.fix(origin.target) : fixText(spec, origin.target, origin.syntax);
      throw new ConfigError(origin.where, spec.path, checked.expected, fix, line);
    }
    values.set(spec.path, checked.value);
    origins.set(spec.path, origin);
  };

  for (const spec of CONFIG_KEYS) {
    values.set(spec.path, defaultValue(spec, defaults));
    origins.set(spec.path, { where: undefined, target: spec.path, syntax: "yaml", isDefault: true });
  }

  const explicit = opts.explicit ?? opts.configPath !== undefined;
  const file = resolve(opts.configPath ?? DEFAULT_CONFIG_PATH);
  const text = readConfigText(file, !explicit);
  if (text !== undefined) {
    // Relative paths in a file are relative to the file, wherever chatctl is started from.
    const ctx: CheckContext = { baseDir: dirname(file), home: defaults.home };
    for (const entry of parseConfigText(file, text)) {
      const spec = keySpec(entry.path)!;
      set(spec, entry.value, { where: file, line: entry.line, target: entry.path, syntax: "yaml" }, ctx, entry.itemLines);
    }
  }

  const here: CheckContext = { baseDir: process.cwd(), home: defaults.home };
  for (const spec of CONFIG_KEYS) {
    const name = envName(spec.path);
    const raw = env[name];
    if (raw === undefined) continue;
    set(spec, fromText(spec, raw), { where: `environment variable ${name}`, target: name, syntax: "text" }, here);
  }

  for (const [path, raw] of Object.entries(opts.flags ?? {})) {
    if (raw === undefined) continue;
    const spec = keySpec(path);
    if (!spec) throw unknownKey(COMMAND_LINE, path);
    const value = typeof raw === "string" ? fromText(spec, raw) : raw;
    set(spec, value, { where: COMMAND_LINE, target: `the ${path} option`, syntax: "text" }, here);
  }

  checkAcrossKeys(values, origins);
  return assemble(values, text !== undefined ? file : undefined);
}

/** Rules that involve more than one key, checked on the merged values. */
function checkAcrossKeys(values: Map<ConfigPath, unknown>, origins: Map<ConfigPath, Origin>): void {
  const at = (path: ConfigPath) => origins.get(path)!;
  const fail = (origin: Origin, key: ConfigPath, expected: string, fix: string) => new ConfigError(origin.where, key, expected, fix, origin.line);

  const cert = values.get("tls.cert");
  const key = values.get("tls.key");
  if (cert !== undefined && key === undefined) {
    throw fail(at("tls.cert"), "tls.key", "expected tls.key to be set because tls.cert is set", "set tls.key to the private key of the certificate, or remove tls.cert to use a generated self-signed certificate");
  }
  if (key !== undefined && cert === undefined) {
    throw fail(at("tls.key"), "tls.cert", "expected tls.cert to be set because tls.key is set", "set tls.cert to the certificate (full chain) for the key, or remove tls.key to use a generated self-signed certificate");
  }

  const preAuth = values.get("c2s.maxStanzaBytesPreAuth") as number;
  const postAuth = values.get("c2s.maxStanzaBytes") as number;
  if (preAuth > postAuth) {
    const path = at("c2s.maxStanzaBytesPreAuth").isDefault ? "c2s.maxStanzaBytes" : "c2s.maxStanzaBytesPreAuth";
    throw fail(at(path), path, `expected c2s.maxStanzaBytesPreAuth (${preAuth}) to be at most c2s.maxStanzaBytes (${postAuth})`, `raise c2s.maxStanzaBytes or lower c2s.maxStanzaBytesPreAuth`);
  }

  const starttls = listener(values, "c2s");
  const direct = listener(values, "c2sDirectTls");
  if (starttls.enabled && direct.enabled && starttls.port !== 0 && starttls.port === direct.port && overlaps(starttls.addresses, direct.addresses)) {
    const path = at("listeners.c2sDirectTls.port").isDefault ? "listeners.c2s.port" : "listeners.c2sDirectTls.port";
    throw fail(at(path), path, `expected the two listeners to use different ports, but both use ${starttls.port}`, "give listeners.c2s and listeners.c2sDirectTls different ports (normally 5222 and 5223)");
  }
}

function listener(values: Map<ConfigPath, unknown>, name: "c2s" | "c2sDirectTls") {
  return {
    enabled: values.get(`listeners.${name}.enabled`) as boolean,
    port: values.get(`listeners.${name}.port`) as number,
    addresses: values.get(`listeners.${name}.addresses`) as string[],
  };
}

/** Could two address lists bind the same socket? A wildcard overlaps everything. */
function overlaps(a: readonly string[], b: readonly string[]): boolean {
  const wildcard = (addr: string) => addr === "0.0.0.0" || addr === "::";
  return a.some(wildcard) || b.some(wildcard) || a.some((addr) => b.includes(addr));
}

/** The nested Config from the flat, validated values, in schema order; unset optional keys are left out. */
function assemble(values: Map<ConfigPath, unknown>, source: string | undefined): Config {
  const config: Record<string, unknown> = {};
  if (source !== undefined) config.source = source;
  for (const [path, value] of values) {
    if (value === undefined) continue;
    const parts = path.split(".");
    let node = config;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = value;
  }
  // Every section has at least one key with a default, so every section exists.
  return config as unknown as Config;
}
