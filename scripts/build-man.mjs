// Builds the roff man pages (man/<name>.1) from their one source, man/<name>.1.md, and the
// commander definitions themselves (STYLE-ANCHORS §4.4 rule 12): the placeholders below are
// filled from the built program, so a new option cannot ship without appearing in its page.
//
//   node scripts/build-man.mjs          write the pages that changed
//   node scripts/build-man.mjs --check  exit 1 if a page is stale, a placeholder is missing, or a
//                                       command has no page (CI and the test suite run this)
//
// Needs the compiled program: run `npx tsc -p .` first (`npm run man` does both).
//
// Placeholders, each on a line of its own:
//   <!-- USAGE -->     the synopsis: the page's command, or each of its subcommands
//   <!-- OPTIONS -->   the page command's options, with descriptions, choices and defaults
//   <!-- COMMANDS -->  its subcommands (required when it has any): description, arguments, options
//   <!-- EXAMPLES -->  the examples declared with the commands (the same ones --help prints)
//   <!-- CONFIGURATION --> every configuration key (from the config schema); required on the page
//                      of `serve`, the command that reads all of them
//
// The markdown is the ronn subset below, converted by a small converter (no dependency):
//   # name(1) -- one-line description     (first line; becomes .TH and the NAME section)
//   ## SECTION / ### Subsection
//   paragraphs; a line ending in a backslash breaks the line
//   `code` and **bold** (bold), *italic* or _italic_; \* \_ \` \\ escape
//   * bullet items, and "* term:" followed by indented lines (a tagged paragraph)
//   ``` fenced code blocks ```
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const manDir = `${root}man/`;
const check = process.argv.includes("--check");

const { buildProgram, packageVersion } = await import(new URL("../dist/src/cli/main.js", import.meta.url).href).catch((err) => {
  fail([`cannot load the compiled program (${err.message}); run "npx tsc -p ." first`]);
});
const { examplesOf } = await import(new URL("../dist/src/cli/help.js", import.meta.url).href);
const { configReference } = await import(new URL("../dist/src/config/load.js", import.meta.url).href);

const program = buildProgram();
const help = program.createHelp();
const version = packageVersion();

const problems = [];
const pages = readdirSync(manDir).filter((f) => f.endsWith(".1.md")).sort();

const generated = new Map();
for (const source of pages) {
  const name = source.slice(0, -".1.md".length);
  try {
    generated.set(`${name}.1`, renderPage(name, readFileSync(manDir + source, "utf8")));
  } catch (err) {
    problems.push(`man/${source}: ${err.message}`);
  }
}

// Every top-level command gets a page of its own.
for (const cmd of subcommands(program)) {
  if (!pages.includes(`chatctl-${cmd.name()}.1.md`)) problems.push(`command "${cmd.name()}" has no man page: add man/chatctl-${cmd.name()}.1.md`);
}

// npm installs the pages listed in package.json "man".
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
const listed = [...(pkg.man ?? [])].sort();
const expected = pages.map((f) => `man/${f.slice(0, -".md".length)}`).sort();
if (JSON.stringify(listed) !== JSON.stringify(expected)) {
  problems.push(`package.json "man" should list exactly ${JSON.stringify(expected)}`);
}

const stale = [];
for (const [file, text] of generated) {
  let current;
  try {
    current = readFileSync(manDir + file, "utf8");
  } catch {
    current = undefined;
  }
  if (current === text) continue;
  if (check) stale.push(`man/${file} is out of date: run "npm run man" and commit the result`);
  else {
    writeFileSync(manDir + file, text);
    console.log(`wrote man/${file}`);
  }
}

if (problems.length > 0 || stale.length > 0) fail([...problems, ...stale]);
if (check) console.log(`man pages up to date (${generated.size})`);

function fail(messages) {
  for (const m of messages) console.error(`build-man: ${m}`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Pages: placeholders → markdown → roff

/** man/chatctl-user.1.md documents `chatctl user`; man/chatctl.1.md the program itself. */
function commandForPage(name) {
  const path = name.split("-");
  if (path[0] !== "chatctl") throw new Error(`page names start with "chatctl"`);
  let cmd = program;
  for (const part of path.slice(1)) {
    cmd = cmd.commands.find((c) => c.name() === part);
    if (!cmd) throw new Error(`no command "${path.slice(0, path.indexOf(part) + 1).join(" ")}" to document`);
  }
  return cmd;
}

function renderPage(name, markdown) {
  const cmd = commandForPage(name);
  const required = [
    "USAGE",
    "OPTIONS",
    "EXAMPLES",
    ...(subcommands(cmd).length > 0 ? ["COMMANDS"] : []),
    ...(name === "chatctl-serve" ? ["CONFIGURATION"] : []),
  ];
  const fill = { USAGE: usageOf, OPTIONS: optionsOf, COMMANDS: commandsOf, EXAMPLES: examplesFor, CONFIGURATION: configurationKeys };
  const seen = new Set();
  const filled = markdown.replace(/^<!--\s*([A-Z]+)\s*-->[ \t]*$/gm, (_, key) => {
    if (!fill[key]) throw new Error(`unknown placeholder <!-- ${key} -->`);
    if (seen.has(key)) throw new Error(`placeholder <!-- ${key} --> appears twice`);
    seen.add(key);
    return fill[key](cmd);
  });
  const missing = required.filter((key) => !seen.has(key));
  if (missing.length > 0) throw new Error(`missing placeholder ${missing.map((k) => `<!-- ${k} -->`).join(", ")}`);
  return toRoff(filled, { name, source: `man/${name}.1.md` });
}

function subcommands(cmd) {
  return help.visibleCommands(cmd).filter((c) => c.name() !== "help");
}

function usageOf(cmd) {
  const leaves = subcommands(cmd).length > 0 && cmd.parent ? subcommands(cmd) : [cmd];
  return leaves.map((c) => `${mdCode(commandName(c))} ${mdText(c.usage())}`).join("\\\n");
}

function optionsOf(cmd) {
  return definitionList(help.visibleOptions(cmd).map((o) => [help.optionTerm(o), help.optionDescription(o)]));
}

function commandsOf(cmd) {
  const subs = subcommands(cmd);
  if (!cmd.parent) {
    // The program page points at each command's own page.
    return definitionList(subs.map((c) => [c.name(), `${help.subcommandDescription(c)}. See chatctl-${c.name()}(1).`]), true);
  }
  return subs
    .map((c) => {
      const rows = [
        ...help.visibleArguments(c).map((a) => [help.argumentTerm(a), help.argumentDescription(a)]),
        ...help.visibleOptions(c).map((o) => [help.optionTerm(o), help.optionDescription(o)]),
      ];
      return `### ${commandName(c)}\n\n${mdCode(commandName(c))} ${mdText(c.usage())}\n\n${mdText(capitalise(c.description()))}.\n\n${definitionList(rows)}`;
    })
    .join("\n\n");
}

function examplesFor(cmd) {
  // The program page shows its own examples (each command has a page with its own); a group's
  // page shows its subcommands' too, each command line once.
  const documented = cmd.parent ? [cmd, ...subcommands(cmd)] : [cmd];
  const byCommand = new Map(documented.flatMap((c) => examplesOf(c)).map((e) => [e.command, e]));
  const all = [...byCommand.values()];
  if (all.length === 0) throw new Error(`"${commandName(cmd)}" declares no examples (withExamples in its command file)`);
  return all.map((e) => `${mdText(capitalise(e.title))}:\n\n\`\`\`\n$ ${e.command}\n\`\`\``).join("\n\n");
}

function configurationKeys() {
  return configReference()
    .map((row) => `* ${mdCode(row.key)}:\n  ${mdText(row.doc)}\\\n  Type: ${mdText(row.type)}. Default: ${mdText(row.default.replace(/\.$/, ""))}.\\\n  Variable: ${mdCode(row.env)}.`)
    .join("\n");
}

function commandName(cmd) {
  const names = [];
  for (let c = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

function definitionList(rows) {
  return rows.map(([term, text]) => `* ${mdCode(term)}:\n  ${mdText(text)}`).join("\n");
}

function mdCode(text) {
  return `\`${text}\``;
}

/** Text from the command definitions, escaped so that it stays literal in markdown. */
function mdText(text) {
  return text.replace(/[\\`*_]/g, (c) => `\\${c}`);
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Markdown subset → roff

function toRoff(markdown, { name, source }) {
  const lines = markdown.replace(/\r\n/g, "\n").split("\n");
  const title = /^# ([a-z0-9-]+)\((\d)\) -- (.+)$/.exec(lines[0] ?? "");
  if (!title) throw new Error(`the first line must be "# ${name}(1) -- <description>"`);
  if (title[1] !== name || title[2] !== "1") throw new Error(`the title names ${title[1]}(${title[2]}), expected ${name}(1)`);

  const out = [
    `.\\" Generated by scripts/build-man.mjs from ${source}; edit that file, then run: npm run man`,
    `.TH "${roffEscape(name.toUpperCase())}" "1" "" "chatctl ${version}" "chatctl manual"`,
    `.SH "NAME"`,
    `\\fB${roffEscape(name, true)}\\fR \\- ${inline(title[3])}`,
  ];

  let i = 1;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === "") {
      i++;
    } else if (line.startsWith("## ")) {
      const heading = line.slice(3).trim();
      if (heading === "NAME") throw new Error(`line ${i + 1}: NAME comes from the title line`);
      out.push(`.SH "${roffEscape(heading)}"`);
      i++;
    } else if (line.startsWith("### ")) {
      out.push(`.SS "${roffEscape(line.slice(4).trim())}"`);
      i++;
    } else if (line.startsWith("```")) {
      const body = [];
      i++;
      while (i < lines.length && !lines[i].startsWith("```")) body.push(lines[i++]);
      if (i >= lines.length) throw new Error("unterminated code block");
      i++;
      out.push(".P", ".RS 2", ".nf", ...body.map(literalLine), ".fi", ".RE");
    } else if (/^[*-] /.test(line)) {
      const first = line.slice(2);
      const body = [];
      i++;
      while (i < lines.length && /^ {2,}\S/.test(lines[i])) body.push(lines[i++].trim());
      if (body.length > 0 && first.endsWith(":")) out.push(".TP", inline(first.slice(0, -1)), ...paragraph(body));
      else out.push(".IP \\(bu 2", ...paragraph([first, ...body]));
    } else if (line.startsWith("#")) {
      throw new Error(`line ${i + 1}: only ## and ### headings after the title`);
    } else {
      const body = [];
      while (i < lines.length && lines[i].trim() !== "" && !/^(#|```|[*-] )/.test(lines[i])) body.push(lines[i++]);
      out.push(".P", ...paragraph(body));
    }
  }
  return `${out.join("\n")}\n`;
}

/** Lines of one paragraph; a trailing backslash is a hard line break. */
function paragraph(lines) {
  return lines.flatMap((l) => {
    const hardBreak = /(?<!\\)\\$/.test(l);
    const text = inline(hardBreak ? l.slice(0, -1).trimEnd() : l.trim());
    return hardBreak ? [text, ".br"] : [text];
  });
}

/** Inline markup: `code`, **bold**, *italic*, _italic_, backslash escapes. */
function inline(text) {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length && /[\\`*_]/.test(text[i + 1])) {
      out += roffEscape(text[i + 1]);
      i += 2;
    } else if (c === "`") {
      const end = text.indexOf("`", i + 1);
      if (end < 0) throw new Error(`unclosed \` in: ${text}`);
      out += `\\fB${roffEscape(text.slice(i + 1, end), true)}\\fR`;
      i = end + 1;
    } else if (text.startsWith("**", i)) {
      const end = text.indexOf("**", i + 2);
      if (end < 0) throw new Error(`unclosed ** in: ${text}`);
      out += `\\fB${inline(text.slice(i + 2, end))}\\fR`;
      i = end + 2;
    } else if ((c === "*" || c === "_") && /\S/.test(text[i + 1] ?? "") && (c === "*" || !/\w/.test(text[i - 1] ?? ""))) {
      const end = findClosing(text, c, i + 1);
      if (end < 0) {
        out += roffEscape(c);
        i++;
      } else {
        out += `\\fI${inline(text.slice(i + 1, end))}\\fR`;
        i = end + 1;
      }
    } else {
      out += roffEscape(c);
      i++;
    }
  }
  return out.startsWith(".") || out.startsWith("'") ? `\\&${out}` : out;
}

function findClosing(text, marker, from) {
  for (let j = from; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === marker && /\S/.test(text[j - 1]) && (marker === "*" || !/\w/.test(text[j + 1] ?? ""))) return j;
  }
  return -1;
}

/** Escapes roff's escape character; in literal text also makes "-" a real minus (copy-pasteable). */
function roffEscape(text, literal = false) {
  const escaped = text.replace(/\\/g, "\\e");
  return literal ? escaped.replace(/-/g, "\\-") : escaped;
}

function literalLine(line) {
  const text = roffEscape(line, true);
  return text.startsWith(".") || text.startsWith("'") ? `\\&${text}` : text;
}
