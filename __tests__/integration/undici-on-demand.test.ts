import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startTinyproxy, type Tinyproxy } from '../support/tinyproxy.js';

// scripts/undici-on-demand.cjs stands in for undici in the bundle (tsconfig.json `paths`, applied by ncc): what
// @actions/github does with it when a GitHub API call goes through a proxy (http-client's ProxyAgent as the
// dispatcher of undici's fetch), through a real proxy; and the bundle's start no longer carries undici.
interface Shim {
  ProxyAgent: new (options: { uri: string }) => { close(): Promise<void> };
  fetch: (url: string, init?: { dispatcher?: unknown }) => Promise<Response>;
}
const shim = createRequire(import.meta.url)('../../scripts/undici-on-demand.cjs') as Shim;
const root = join(import.meta.dirname, '..', '..');

describe('undici on demand', () => {
  let proxy: Tinyproxy;
  let server: Server;
  let target: string;

  beforeAll(async () => {
    proxy = await startTinyproxy();
    server = createServer((req, res) => res.end(`answered ${req.url}`)).listen(0, '127.0.0.1');
    await once(server, 'listening');
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await proxy.stop();
  });

  it("sends fetch through http-client's ProxyAgent, the real agent made on first use", async () => {
    const agent = new shim.ProxyAgent({ uri: proxy.url });
    const answer = await shim.fetch(`${target}/user`, { dispatcher: agent });
    expect(await answer.text()).toBe('answered /user');
    expect(proxy.requests()).toContain(`CONNECT ${new URL(target).host} HTTP/1.1`);
    await agent.close();
  });

  it('fetches directly without a dispatcher', async () => {
    const before = proxy.requests().length;
    expect(await (await shim.fetch(`${target}/direct`)).text()).toBe('answered /direct');
    expect(proxy.requests()).toHaveLength(before);
  });

  it.each(['dist', 'dist/post'])(
    "keeps undici out of %s's start: only a chunk loaded on demand holds it",
    (dir) => {
      const dist = join(root, dir);
      const holders = readdirSync(dist)
        .filter((file) => file.endsWith('.js'))
        .filter((file) => readFileSync(join(dist, file), 'utf8').includes('lazyllhttp'));
      expect(holders).toHaveLength(1);
      expect(holders[0]).toMatch(/^\d+\.index\.js$/);
    },
  );
});
