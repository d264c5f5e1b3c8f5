// Documentation derived from the schema: the reference table (man page, docs), the commented
// example file, and the effective configuration as YAML for `serve --print-config`.
import { stringify } from "yaml";
import { CONFIG_KEYS, envName, isOptional, SECTION_DOCS, typeText, type AnyKeySpec } from "./schema.js";
import type { Config } from "./types.js";

export interface ConfigReferenceRow {
  /** Dotted key path as written in YAML nesting: listeners.c2s.port */
  key: string;
  /** The CHATCTL_* variable that overrides it. */
  env: string;
  type: string;
  /** The default as text ("5222", "[\"0.0.0.0\", \"::\"]", or a sentence for computed defaults). */
  default: string;
  doc: string;
}

export function configReference(): ConfigReferenceRow[] {
  return CONFIG_KEYS.map((spec) => ({
    key: spec.path,
    env: envName(spec.path),
    type: typeText(spec),
    default: spec.defaultDoc ?? yamlValue(spec.default),
    doc: spec.doc,
  }));
}

/** The effective configuration as YAML, every key in schema order; unset optional keys as comments. */
export function describeConfig(config: Config): string {
  const header = `# effective configuration: ${config.source ?? "built-in defaults"}, then CHATCTL_* variables and flags\n`;
  return (
    header +
    render(false, (spec) => {
      const value = valueAt(config, spec.path);
      return value === undefined ? { commented: "(not set)" } : { value };
    })
  );
}

/** The content of chatctl.example.yml: every key with its doc line, variable and default. */
export function exampleConfigYaml(): string {
  const header = [
    "# chatctl configuration: every key, with its default.",
    "#",
    "# Copy to /etc/chatctl/chatctl.yml (or pass --config FILE) and change what you need. A key left",
    "# out keeps its default; the CHATCTL_* variable named above a key overrides the file, and",
    "# command-line flags override both. Commented-out keys are optional or computed: remove the",
    "# leading \"# \" to set them. Relative paths are relative to this file.",
    "#",
    "# Generated from src/config/schema.ts (exampleConfigYaml); a unit test fails when they differ.",
    "",
  ].join("\n");
  return (
    header +
    render(true, (spec) => {
      if (isOptional(spec) || typeof spec.default === "function") return { commented: spec.example ?? "" };
      return { value: spec.default };
    })
  );
}

type Shown = { value: unknown } | { commented: string };

/** Nested YAML for all keys in schema order, opening each section once. */
function render(withDocs: boolean, show: (spec: AnyKeySpec) => Shown): string {
  const lines: string[] = [];
  let open: string[] = [];
  for (const spec of CONFIG_KEYS) {
    const parts = spec.path.split(".");
    const sections = parts.slice(0, -1);
    let same = 0;
    while (same < open.length && same < sections.length && open[same] === sections[same]) same++;
    for (let depth = same; depth < sections.length; depth++) {
      const indent = "  ".repeat(depth);
      const doc = SECTION_DOCS[sections.slice(0, depth + 1).join(".")];
      // A blank line separates a section from what precedes it, but not from its own parent.
      if (withDocs && depth === same) lines.push("");
      if (withDocs && doc !== undefined) lines.push(`${indent}# ${doc}`);
      lines.push(`${indent}${sections[depth]}:`);
    }
    open = sections;

    const indent = "  ".repeat(sections.length);
    const name = parts[parts.length - 1]!;
    const shown = show(spec);
    if (withDocs) {
      if (same === sections.length) lines.push("");
      lines.push(`${indent}# ${spec.doc}`);
      const env = envName(spec.path);
      lines.push(spec.defaultDoc !== undefined ? `${indent}# (default: ${spec.defaultDoc}; env ${env})` : `${indent}# (env ${env})`);
    }
    if ("value" in shown) lines.push(`${indent}${name}: ${yamlValue(shown.value)}`);
    else lines.push(`${indent}# ${name}: ${shown.commented}`.trimEnd());
  }
  return lines.join("\n") + "\n";
}

/** A value as YAML on one line; lists in flow style with quoted items. */
function yamlValue(value: unknown): string {
  if (value === undefined) return "(none)";
  if (Array.isArray(value)) return `[${value.map((item) => JSON.stringify(item)).join(", ")}]`;
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

function valueAt(config: Config, path: string): unknown {
  let node: unknown = config;
  for (const part of path.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}
