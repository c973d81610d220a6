/**
 * `npm run bench [-- --full] [-- subject…] [-- --out FILE]`: runs every subject, each in its own
 * Node process (with `--expose-gc`, and without another subject's heap or JIT state), and prints
 * their Markdown tables. Quick mode by default: a smoke test for CI that must finish, not meet
 * targets; `--full` for the real numbers. The exit code is non-zero only if a subject crashed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FULL } from './harness/mode';
import { machineNotes } from './harness/report';

const SUBJECTS = [
  'queue-throughput',
  'channel-throughput',
  'memory-per-item',
  'periodic-timer',
  'scope-per-unit',
  'host-overhead',
  'shutdown-latency',
];

/** Runs one subject, echoing its output as it comes; resolves with that output and its exit code. */
function runSubject(subject: string): Promise<{ output: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const args = ['--expose-gc', join(__dirname, `${subject}.js`), ...(FULL ? ['--full'] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ output, code }));
  });
}

/** Subjects named on the command line (all when none), and the file to copy the output to. */
function parseArgs(args: readonly string[]): { subjects: string[]; outFile: string | undefined } {
  const subjects: string[] = [];
  let outFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') outFile = args[++i];
    else if (!args[i].startsWith('--')) subjects.push(args[i]);
  }
  return { subjects, outFile };
}

/** The commit measured, and whether the working tree differed from it (`-dirty`); '' outside git. */
function revision(): string {
  const git = (...args: string[]): string => spawnSync('git', args, { encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short', 'HEAD');
  if (!head) return '';
  return `commit ${head}${git('status', '--porcelain', '--', 'lib', 'package.json') ? '-dirty (lib or package.json changed)' : ''}; `;
}

async function main(): Promise<void> {
  const { subjects: wanted, outFile } = parseArgs(process.argv.slice(2));
  const unknown = wanted.filter((w) => !SUBJECTS.includes(w));
  if (unknown.length > 0) throw new Error(`unknown subject(s) ${unknown.join(', ')}; known: ${SUBJECTS.join(', ')}`);
  const subjects = wanted.length > 0 ? wanted : SUBJECTS;

  const header = `# nestjs-hosting benchmarks\n\n_${revision()}${machineNotes()}_\n\nReproduce: \`npm ci && npm run bench -- --full\`\n`;
  console.log(header);
  const started = performance.now();
  let all = header + '\n';
  const crashed: string[] = [];
  const durations: string[] = [];
  for (const subject of subjects) {
    const from = performance.now();
    const { output, code } = await runSubject(subject);
    durations.push(`${subject} ${((performance.now() - from) / 1000).toFixed(1)} s`);
    all += output;
    if (code !== 0) crashed.push(`${subject} (exit ${code})`);
  }
  const pass = (all.match(/\bPASS\b/g) ?? []).length;
  const miss = (all.match(/\bMISS\b/g) ?? []).length;
  const summary =
    `Targets: ${pass} PASS, ${miss} MISS${crashed.length ? `; crashed: ${crashed.join(', ')}` : ''}. ` +
    `${subjects.length} subject(s) in ${((performance.now() - started) / 1000).toFixed(1)} s (${durations.join(', ')}).`;
  console.log(summary);
  if (outFile) writeFileSync(outFile, `${all}${summary}\n`);
  if (crashed.length > 0) process.exitCode = 1;
}

void main();
