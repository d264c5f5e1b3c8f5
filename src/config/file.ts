// Reads the YAML configuration file into (key path, raw value, line) entries. Structure is
// checked here (syntax, unknown keys, sections that are not mappings) because only here are the
// lines known; the values themselves are checked by the schema, like those from env and flags.
import { readFileSync } from "node:fs";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLMap } from "yaml";
import { ConfigError } from "../errors.js";
import { CONFIG_KEYS, keySpec, SECTIONS } from "./schema.js";
import { looseForm, nearest } from "./suggest.js";

export interface FileEntry {
  path: string;
  value: unknown;
  /** 1-based line of the value (of the key when the value is empty). */
  line: number;
  /** For a list, the line of each item. */
  itemLines?: number[];
}

/** Key used in ConfigError for problems with the file as a whole. */
export const FILE_KEY = "(file)";

/**
 * The file's text, or undefined when it does not exist and `missingIsFine` (the default path was
 * not asked for explicitly). Any other failure names the file.
 */
export function readConfigText(file: string, missingIsFine: boolean): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && missingIsFine) return undefined;
    const why =
      code === "ENOENT" ? "does not exist" : code === "EACCES" || code === "EPERM" ? "is not readable by this user" : code === "EISDIR" ? "is a directory" : `cannot be read (${code ?? (err as Error).message})`;
    throw new ConfigError(
      file,
      FILE_KEY,
      `expected a readable YAML configuration file, but it ${why}`,
      "check the path and permissions, or leave out the config path to use the built-in defaults (chatctl init writes a starting file)",
    );
  }
}

/** Parses the file's text into entries in file order; throws ConfigError at the first structural problem. */
export function parseConfigText(file: string, text: string): FileEntry[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const lineOf = (offset: number) => lines.linePos(offset).line;

  const syntax = doc.errors[0];
  if (syntax) {
    // yaml appends " at line N, column M:" and a code frame; the line goes in its own field.
    const reason = syntax.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw new ConfigError(
      file,
      "(syntax)",
      `expected valid YAML: ${reason}`,
      "fix the YAML at that line: indent with spaces, and quote values that contain \": \" or start with a special character",
      syntax.linePos?.[0].line ?? lineOf(syntax.pos[0]),
    );
  }

  const entries: FileEntry[] = [];
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return entries; // an empty or all-comment file
  if (!isMap(root)) {
    throw new ConfigError(file, "(document)", "expected a mapping of keys such as domain: and listeners:", "start the file with top-level keys (see chatctl.example.yml)", lineOf(root.range?.[0] ?? 0));
  }
  walk(doc, root, "", entries, file, lineOf);
  return entries;
}

function walk(doc: Document, map: YAMLMap, prefix: string, entries: FileEntry[], file: string, lineOf: (offset: number) => number): void {
  for (const pair of map.items) {
    const keyNode = pair.key as Node | null;
    const keyLine = lineOf(keyNode?.range?.[0] ?? map.range?.[0] ?? 0);
    const name = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const path = prefix + name;
    let value = pair.value as Node | null;
    if (isAlias(value)) value = (value.resolve(doc) as Node | undefined) ?? null;
    const valueLine = value?.range ? lineOf(value.range[0]) : keyLine;

    if (keySpec(path)) {
      const entry: FileEntry = { path, value: value === null ? null : value.toJS(doc), line: valueLine };
      if (isSeq(value)) entry.itemLines = value.items.map((item) => lineOf((item as Node).range?.[0] ?? value.range?.[0] ?? 0));
      entries.push(entry);
    } else if (SECTIONS.has(path)) {
      if (value === null || (isScalar(value) && value.value === null)) continue; // "tls:" with everything commented out
      if (!isMap(value)) {
        const children = childNames(path);
        throw new ConfigError(file, path, `expected a section with the keys ${children.join(", ")}, got a ${isSeq(value) ? "list" : "single value"}`, `indent the keys of ${path} under "${path}:", each on its own line (e.g. "  ${children[0]}: …")`, valueLine);
      }
      walk(doc, value, path + ".", entries, file, lineOf);
    } else {
      throw unknownKey(file, path, keyLine);
    }
  }
}

/** The direct children (keys or subsections) of a section; "" is the top level. */
function childNames(section: string): string[] {
  const names = new Set<string>();
  const prefix = section === "" ? "" : section + ".";
  for (const spec of CONFIG_KEYS) {
    if (spec.path.startsWith(prefix)) names.add(spec.path.slice(prefix.length).split(".")[0]!);
  }
  return [...names];
}

/** An unknown key, with the nearest valid one when there is a plausible one. */
export function unknownKey(where: string | undefined, path: string, line?: number): ConfigError {
  const suggestion = suggestKey(path);
  const expected = `unknown key ${JSON.stringify(path)}${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ""}`;
  const fix = suggestion ? `rename it to ${suggestion}, or remove it` : "remove it; chatctl.example.yml lists every valid key";
  return new ConfigError(where, path, expected, fix, line);
}

/**
 * The valid key a misspelt one most likely meant: a typo among its siblings (listeners.c2s.prot),
 * a typo in the section (listener.c2s.port), or the same name in another section (authTimeout at
 * the top level means c2s.authTimeout).
 */
export function suggestKey(path: string): string | undefined {
  const dot = path.lastIndexOf(".");
  const parent = dot < 0 ? "" : path.slice(0, dot);
  const name = path.slice(dot + 1);
  const leafPaths = CONFIG_KEYS.map((spec) => spec.path);
  if (parent === "" || SECTIONS.has(parent)) {
    const sibling = nearest(name, childNames(parent));
    if (sibling !== undefined) return parent === "" ? sibling : `${parent}.${sibling}`;
  } else {
    const anywhere = nearest(path, [...SECTIONS, ...leafPaths]);
    if (anywhere !== undefined) return anywhere;
  }
  return leafPaths.find((p) => looseForm(p.slice(p.lastIndexOf(".") + 1)) === looseForm(name));
}
