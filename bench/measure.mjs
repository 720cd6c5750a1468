// Running one timed command: wall time, peak RSS (GNU time's %M of the process itself), and how many requests
// the registry and the token service logged meanwhile.
import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Lines of a file, 0 when it does not exist. */
function lineCount(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}

/** Access-log request lines (not the registry's own log lines) from line `since` on. */
function requestLines(file, since) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(since)
    .filter((line) => /^127\.0\.0\.1 - - \[/.test(line));
}

/** Runs `argv` under /usr/bin/time; rejects with its output when it fails. */
export async function timed(argv, { env = process.env, logs = [], tokenLog, mayFail = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-run-'));
  const rssFile = join(dir, 'rss');
  const before = logs.map((file) => lineCount(file));
  const tokensBefore = tokenLog ? lineCount(tokenLog) : 0;
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M', '-o', rssFile, ...argv], { env });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  const ms = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 30)); // the registry's log line is written as it answers
  const rssKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0 && !mayFail) throw new Error(`${argv.join(' ')} exited ${code}:\n${output.slice(-3000)}`);
  const requests = logs.reduce((sum, file, i) => sum + requestLines(file, before[i]).length, 0);
  const tokens = tokenLog ? lineCount(tokenLog) - tokensBefore : 0;
  return { ms, rssMiB: rssKiB / 1024, requests, tokens, output };
}

/** Runs a command untimed (setup), failing loudly. */
export function must(argv, options = {}) {
  const ran = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (ran.status !== 0)
    throw new Error(`${argv.join(' ')} exited ${ran.status}:\n${ran.stdout}\n${ran.stderr}`.slice(-3000));
  return ran.stdout;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
