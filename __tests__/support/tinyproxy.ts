/**
 * A real forward proxy for tests: Debian's tinyproxy on a free port of 127.0.0.1, in the foreground, with its
 * own log (one line per request it relayed: `GET http://...`, `CONNECT host:port`). Stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tinyproxy {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The request lines it relayed so far, e.g. `GET http://127.0.0.1:5101/v2/ HTTP/1.1`, `CONNECT h:p HTTP/1.1`. */
  requests(): string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Whether tinyproxy listens yet, by connecting to it. (Probing by listening on the port would race tinyproxy
 * for it: a probe that binds first makes tinyproxy exit with 71.)
 */
async function waitForListening(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`tinyproxy exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('tinyproxy did not start listening within 5 s');
}

/** Starts tinyproxy on a free port; again on another when that port was taken meanwhile (it exits then). */
export async function startTinyproxy(attempts = 3): Promise<Tinyproxy> {
  try {
    return await startOnce();
  } catch (error) {
    if (attempts <= 1 || !String(error).includes('tinyproxy exited')) throw error;
    return startTinyproxy(attempts - 1);
  }
}

async function startOnce(): Promise<Tinyproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'tinyproxy-'));
  const port = await freePort();
  const log = join(dir, 'log');
  const config = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 120',
    `LogFile "${log}"`,
    'LogLevel Connect',
    'MaxClients 100',
    'Allow 127.0.0.1',
  ];
  writeFileSync(join(dir, 'tinyproxy.conf'), `${config.join('\n')}\n`);
  const child = spawn('tinyproxy', ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  await waitForListening(port, child).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () =>
      existsSync(log)
        ? [...readFileSync(log, 'utf8').matchAll(/Request \(file descriptor \d+\): (.*)$/gm)].map(
            (m) => m[1] ?? '',
          )
        : [],
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
