// Examples are declared once per command: `--help` prints them under "Example:" and
// scripts/build-man.mjs puts the same list in the man page's EXAMPLES section, so the two
// cannot drift apart.
import type { Command } from "commander";

export interface Example {
  /** What the example does, in a few words. */
  title: string;
  /** The command line, without the leading "$ ". */
  command: string;
}

const examplesByCommand = new WeakMap<Command, readonly Example[]>();

export function withExamples(cmd: Command, examples: readonly Example[]): Command {
  examplesByCommand.set(cmd, examples);
  const text = examples.map((e) => `  # ${e.title}\n  $ ${e.command}`).join("\n\n");
  return cmd.addHelpText("after", `\nExample:\n${text}`);
}

export function examplesOf(cmd: Command): readonly Example[] {
  return examplesByCommand.get(cmd) ?? [];
}
