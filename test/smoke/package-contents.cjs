// Checks what the installed package ships (run from the consumer app, given the installed package
// directory): only the build, its sources and the licence, and every source map resolving to a file
// in the package. The maps and declaration maps point at ../lib/*.ts, which is why lib/ is shipped:
// a map naming a file the package lacks gives a user stack traces and "go to definition" that lead
// nowhere.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');

const pkg = fs.realpathSync(process.argv[2]);
const files = new Set(walk(pkg).map((f) => path.relative(pkg, f).split(path.sep).join('/')));
const problems = [];

const allowed = [
  /^(package\.json|README\.md|LICENSE)$/,
  /^dist\/.+\.(js|js\.map|d\.ts|d\.ts\.map)$/,
  /^lib\/.+(?<!\.spec)\.ts$/,
];
for (const f of files) if (!allowed.some((re) => re.test(f))) problems.push(`unexpected file shipped: ${f}`);
if (!files.has('LICENSE') || !fs.readFileSync(path.join(pkg, 'LICENSE'), 'utf8').startsWith('MIT License')) {
  problems.push('LICENSE is missing or is not the MIT licence');
}
// dist/ and lib/ must match one to one: a stale build output, or a source that was never built,
// means the tarball was not packed from a clean build of these sources.
const stem = (f, dir, ext) =>
  f.startsWith(`${dir}/`) && f.endsWith(ext) ? f.slice(dir.length + 1, -ext.length) : null;
const built = [...files].map((f) => stem(f, 'dist', '.js')).filter((s) => s !== null);
const sources = [...files].map((f) => stem(f, 'lib', '.ts')).filter((s) => s !== null);
for (const s of built) if (!sources.includes(s)) problems.push(`dist/${s}.js has no source lib/${s}.ts`);
for (const s of sources) if (!built.includes(s)) problems.push(`lib/${s}.ts was not built to dist/${s}.js`);
if (!files.has('dist/index.js')) problems.push('dist/index.js is missing');

let maps = 0;
for (const f of files) {
  if (!/\.(js|d\.ts)$/.test(f)) continue;
  const target = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(fs.readFileSync(path.join(pkg, f), 'utf8'));
  const map = target && path.posix.join(path.posix.dirname(f), target[1]);
  if (!map || !files.has(map)) {
    problems.push(`${f} names no shipped source map`);
    continue;
  }
  maps++;
  const { sourceRoot = '', sources: mapped } = JSON.parse(fs.readFileSync(path.join(pkg, map), 'utf8'));
  for (const source of mapped) {
    const resolved = path.posix.join(path.posix.dirname(map), sourceRoot, source);
    if (!files.has(resolved)) problems.push(`${map}: source ${source} resolves to ${resolved}, which is not shipped`);
  }
}

// What the maps are for: a stack trace from the installed package names the shipped TypeScript.
process.setSourceMapsEnabled(true);
const fromApp = createRequire(path.join(process.cwd(), 'package.json'));
fromApp('reflect-metadata');
const { HostedServicesModule } = fromApp('nestjs-hosting');
let stack = '';
try {
  HostedServicesModule.forRoot({ shutdownTimeout: -1 });
} catch (error) {
  stack = String(error && error.stack);
}
if (!stack.includes(`${path.join(pkg, 'lib')}${path.sep}`)) {
  problems.push(`a stack trace from the package does not point into its lib/ sources:\n${stack || '(nothing thrown)'}`);
}

if (problems.length > 0) {
  const more = problems.length > 20 ? `\n  … and ${problems.length - 20} more` : '';
  console.error(`package contents: ${problems.length} problem(s)\n  ${problems.slice(0, 20).join('\n  ')}${more}`);
  process.exit(1);
}
console.log(`smoke ok: package contents, ${files.size} files, ${maps} source maps all resolving inside the package`);

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : [full];
  });
}
