import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { FULL, RUNS } from './mode';
import { Summary } from './stats';

/** A cell of a table: text as is, numbers rounded for reading. */
export type Cell = string | number;

/** PASS or MISS, as the issue asks every target to be reported. */
export function verdict(pass: boolean): 'PASS' | 'MISS' {
  return pass ? 'PASS' : 'MISS';
}

/** Rounds for a table: 3 significant digits, no exponent. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toFixed(Math.min(decimals, 3));
}

/** `median`, `min`, `max` of a summary, formatted, for the usual three columns. */
export function spread(summary: Summary): [string, string, string] {
  return [fmt(summary.median), fmt(summary.min), fmt(summary.max)];
}

/** Prints a Markdown table. */
export function table(columns: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const line = (cells: readonly Cell[]): string =>
    `| ${cells.map((c) => (typeof c === 'number' ? fmt(c) : c)).join(' | ')} |`;
  const align = columns.map((_, i) => (i === 0 ? '---' : '---:'));
  console.log([line(columns), line(align), ...rows.map(line)].join('\n'));
  console.log();
}

/** Prints the subject's heading and what it was measured on. */
export function heading(title: string, what: string, runs = RUNS): void {
  console.log(`## ${title}\n`);
  console.log(`${what}\n`);
  console.log(`_${machineNotes(runs)}_\n`);
}

/** Node version and machine, on one line: figures mean nothing without them. */
export function machineNotes(runs = RUNS): string {
  const cpu = cpus();
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return [
    `Node ${process.version} (V8 ${process.versions.v8})`,
    `${platform()} ${release()}`,
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`,
    `${Math.round(totalmem() / 2 ** 30)} GiB`,
    `load average ${load} at start`,
    `${FULL ? 'full' : 'quick (smoke test, not the real numbers)'} mode, ${runs} runs per row after warm-up`,
  ].join('; ');
}

/** Prints a note under a table. */
export function note(text: string): void {
  console.log(`${text}\n`);
}
