import { TriageError } from '../../bot/errors.js';

// A small argument parser: the CLI has few options, and a dependency would add more surface than
// it saves. Unknown options are usage errors (exit 2) rather than being ignored.

export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Set<string>;
  readonly values: Map<string, string[]>;
}

/** The options of `tls-triage diagnose` (main.ts parses them; bin.ts peeks at the FILE early). */
export const DIAGNOSE_ARGS = { flags: ['json', 'verbose'], values: ['rules', 'ca', 'role'] };

export function parseArgs(argv: readonly string[], spec: { flags: string[]; values: string[] }): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      if (spec.flags.includes(name) && inline === undefined) flags.add(name);
      else if (spec.values.includes(name)) {
        const value = inline ?? argv[++i];
        if (value === undefined) throw new TriageError('USAGE', `--${name} needs a value`);
        values.set(name, [...(values.get(name) ?? []), value]);
      } else throw new TriageError('USAGE', `unknown option --${name}`);
    } else positionals.push(arg);
  }
  return { positionals, flags, values };
}
