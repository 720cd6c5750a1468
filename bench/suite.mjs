// The side-by-side benchmark (npm run bench, through bench/run.sh): every case of the action paired with its
// yardstick in the same run, alternating, the median of BENCH_PAIRS pairs (default 5). The stack's token
// registry is reached through a latency proxy (BENCH_RTT_MS, default 20 ms round trip); the 512 MiB
// cross-registry case runs on plain loopback. Prints a Markdown table and writes JSON to BENCH_JSON if set.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { median, must, timed } from './measure.mjs';
import { actionArgv, dockerEnv, importImage, pushImage, readStackEnv, skopeoRunner } from './setup.mjs';
import { casesFor } from './cases.mjs';

const PAIRS = Number(process.env.BENCH_PAIRS || 5);
const RTT = Number(process.env.BENCH_RTT_MS || 20);
const BIG_MIB = Number(process.env.BENCH_BIG_MIB || 512);
const stackDir = process.argv[2];
const work = process.argv[3];
const stack = readStackEnv(stackDir);
const say = (line) => process.stderr.write(`bench: ${line}\n`);

const tokenPort = Number(stack.REGISTRY_TOKEN.split(':')[1]);
// The proxy runs as a child process: the setup below blocks this one (spawnSync).
const proxyProcess = spawn(
  process.execPath,
  [join(import.meta.dirname, 'latency-proxy.mjs'), String(tokenPort), String(RTT)],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const proxyPort = await new Promise((resolve, reject) => {
  proxyProcess.stdout.once('data', (d) => resolve(Number(String(d).trim())));
  proxyProcess.once('exit', (code) => reject(new Error(`the latency proxy exited ${code}`)));
});
const slow = `127.0.0.1:${proxyPort}`;
process.on('exit', () => proxyProcess.kill());
const id = Date.now().toString(36);
const docker = dockerEnv(stack, work, [slow, stack.REGISTRY_TOKEN]);
const skopeo = skopeoRunner(work);

say(`generating images (small, 100 MiB, ${BIG_MIB} MiB layer) in run ${id}`);
const images = {
  small: `${slow}/${stack.OWNER}/bench-small-${id}:v1`,
  medium: `${slow}/${stack.OWNER}/bench-100m-${id}:v1`,
  big: `${stack.REGISTRY_ANONYMOUS}/bench/big-${id}:v1`,
};
// Pushed to the token registry directly (the same storage the proxy leads to): setup is not measured.
const direct = (ref) => ref.replace(slow, stack.REGISTRY_TOKEN);
pushImage(docker, importImage(work, docker, `bench-local/small-${id}`, 1), direct(images.small));
pushImage(docker, importImage(work, docker, `bench-local/medium-${id}`, 100), direct(images.medium));
pushImage(docker, importImage(work, docker, `bench-local/big-${id}`, BIG_MIB), images.big);
for (const name of ['small', 'medium', 'big'])
  must(['docker', 'rmi', '-f', `bench-local/${name}-${id}`], { env: docker });

const context = {
  stack,
  work,
  id,
  slow,
  docker,
  skopeo,
  images,
  action: (inputs) => actionArgv(stack, work, inputs),
};
const logs = [stack.REGISTRY_TOKEN_LOG, stack.REGISTRY_ANONYMOUS_LOG];
const rows = [];

/** One timed run of a side: its prepare step untimed, its command timed. */
async function once(side, i) {
  const spec = await side.prepare(i);
  return timed(spec.argv, { env: spec.env, logs, tokenLog: stack.TOKEN_LOG });
}

// BENCH_CASES: a comma-separated list of words; only the cases whose name contains one of them run.
const only = (process.env.BENCH_CASES || '').split(',').filter(Boolean);
const chosen = casesFor(context).filter((b) => only.length === 0 || only.some((w) => b.name.includes(w)));
for (const bench of chosen) {
  say(`${bench.name}: ${PAIRS} pairs`);
  const sides = [bench.action, ...bench.yardsticks];
  const runs = sides.map(() => []);
  for (let i = 0; i < PAIRS; i++) {
    // Alternating which side goes first, so a trend on the machine falls on both alike.
    const order = i % 2 === 0 ? sides.map((_, k) => k) : sides.map((_, k) => k).reverse();
    for (const k of order) runs[k].push(await once(sides[k], i));
  }
  const summary = (k) => ({
    name: sides[k].name,
    seconds: median(runs[k].map((r) => r.ms)) / 1000,
    rssMiB: Math.max(...runs[k].map((r) => r.rssMiB)),
    requests: median(runs[k].map((r) => r.requests)),
    tokens: median(runs[k].map((r) => r.tokens)),
  });
  const action = summary(0);
  for (let k = 1; k < sides.length; k++) {
    const yardstick = summary(k);
    rows.push({ case: bench.name, action, yardstick, ratio: action.seconds / yardstick.seconds });
  }
}

// The bundle's load time: node starting it up to the failure of a command that does not exist, against
// node starting an empty script.
const loads = { bundle: [], node: [] };
for (let i = 0; i < PAIRS; i++) {
  const bad = actionArgv(stack, work, { command: 'bench-load-time' });
  loads.bundle.push((await timed(bad.argv, { env: bad.env, mayFail: true })).ms);
  loads.node.push((await timed([process.execPath, '-e', '0'])).ms);
}
proxyProcess.kill();

const f = (n, digits = 2) => n.toFixed(digits);
const lines = [
  `| case | action | yardstick | ratio | action peak RSS | yardstick peak RSS | requests (registry / token) action | requests yardstick |`,
  `| --- | --- | --- | --- | --- | --- | --- | --- |`,
  ...rows.map(
    (r) =>
      `| ${r.case} | ${f(r.action.seconds)} s | ${r.yardstick.name} ${f(r.yardstick.seconds)} s | ${f(r.ratio)}x | ${f(r.action.rssMiB, 0)} MiB | ${r.yardstick.name.startsWith('docker') ? 'n/a (daemon)' : `${f(r.yardstick.rssMiB, 0)} MiB`} | ${r.action.requests} / ${r.action.tokens} | ${r.yardstick.requests} / ${r.yardstick.tokens} |`,
  ),
];
const loadLine = `Bundle start-up: node dist/index.js to a reported input error ${f(median(loads.bundle), 0)} ms; node -e 0 ${f(median(loads.node), 0)} ms; the bundle's own cost ~${f(median(loads.bundle) - median(loads.node), 0)} ms (medians of ${PAIRS}).`;
process.stdout.write(
  `\nRTT ${RTT} ms through the latency proxy (token registry); ${PAIRS} pairs; medians.\n\n${lines.join('\n')}\n\n${loadLine}\n`,
);
if (process.env.BENCH_JSON)
  writeFileSync(process.env.BENCH_JSON, JSON.stringify({ rtt: RTT, pairs: PAIRS, rows, loads }, null, 2));
