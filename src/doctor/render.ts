// The human form of a doctor report: a header, one table row per check (status, check id,
// subject, detail) with its hint and fix lines underneath, and a summary line. Colour is decided
// by cli/output.ts (the only chalk importer); this module only receives the decision.
import { exitCodeOf, summarize, type Report } from "./report.js";
import type { CheckStatus } from "./types.js";

/** SGR codes for the few styles used here (what a 16-colour terminal understands). */
const STYLE = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39] } as const;
type Style = keyof typeof STYLE;

function painter(color: boolean) {
  return (style: Style, text: string) => (color ? `\u001b[${STYLE[style][0]}m${text}\u001b[${STYLE[style][1]}m` : text);
}

const LABEL: Record<CheckStatus, { text: string; style: Style }> = {
  ok: { text: "ok", style: "green" },
  warn: { text: "warn", style: "yellow" },
  fail: { text: "FAIL", style: "red" },
  skip: { text: "skip", style: "dim" },
};

export interface RenderOptions {
  color: boolean;
  strict: boolean;
}

export function renderReport(report: Report, opts: RenderOptions): string {
  const paint = painter(opts.color);
  const lines: string[] = [];
  const facts = Object.entries(report.context).map(([k, v]) => `${k}: ${v}`);
  lines.push(paint("bold", `chatctl ${report.command}${report.domain ? `: ${report.domain}` : ""}`) + (facts.length > 0 ? paint("dim", ` (${facts.join("; ")})`) : ""));
  lines.push("");

  // Columns: status, check id, subject, detail; hints and fixes go under the subject column.
  const statusWidth = 6;
  const idWidth = Math.max(5, ...report.checks.map((c) => c.id.length));
  const subjectWidth = Math.min(44, Math.max(7, ...report.checks.map((c) => (c.subject ?? "").length)));
  const pad = (text: string, width: number) => text + " ".repeat(Math.max(1, width - text.length + 1));
  const under = " ".repeat(statusWidth + 1 + idWidth + 1);
  const detailColumn = " ".repeat(subjectWidth + 1);

  lines.push(paint("dim", `${pad("STATUS", statusWidth)}${pad("CHECK", idWidth)}${pad("SUBJECT", subjectWidth)}DETAIL`));
  for (const c of report.checks) {
    const label = LABEL[c.status];
    const head = `${paint(label.style, pad(label.text, statusWidth))}${pad(c.id, idWidth)}`;
    const subject = c.subject ?? "";
    // A subject longer than its column gets a line of its own rather than pushing the detail away.
    if (subject.length > subjectWidth) lines.push(`${head}${subject}`, `${under}${detailColumn}${c.detail}`);
    else lines.push(`${head}${pad(subject, subjectWidth)}${c.detail}`);
    if (c.hint !== undefined) lines.push(`${under}${paint("dim", `hint: ${c.hint}`)}`);
    if (c.fix !== undefined && c.fix.length > 0) {
      lines.push(`${under}${paint("dim", "fix:")}`);
      for (const f of c.fix) lines.push(`${under}  ${f}`);
    }
  }

  const s = summarize(report.checks);
  const parts = [
    `${s.ok} ok`,
    `${s.warn} ${s.warn === 1 ? "warning" : "warnings"}`,
    `${s.fail} failed`,
    `${s.skip} skipped`,
  ];
  const failed = exitCodeOf(report.checks, opts.strict) !== 0;
  const verdict = s.fail > 0 ? "problems found" : s.warn > 0 ? (opts.strict ? "warnings found (--strict)" : "no failures, but see the warnings") : "no problems found";
  lines.push("");
  lines.push(`${report.checks.length} checks: ${parts.join(", ")}: ${paint(failed ? "red" : s.warn > 0 ? "yellow" : "green", verdict)}`);
  return `${lines.join("\n")}\n`;
}
