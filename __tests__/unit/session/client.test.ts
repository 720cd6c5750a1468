import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference } from '../../../src/registry/index.js';
import { newRegistryClient } from '../../../src/session/client.js';
import { startHttpServer, type LocalServer } from '../../support/http-server.js';

// Two registries on loopback that ask for Basic credentials and record what they get: the action's client
// sends the chosen credentials to 'registry' only, and the docker config's login (masked first) elsewhere.
const CHOSEN = { username: 'octocat', password: 'chosen-secret-for-the-registry' };
const STORED = { username: 'someone', password: 'docker-config-secret-elsewhere' };
const seen: Record<string, string[]> = {};
let registry: LocalServer;
let other: LocalServer;
const dockerConfig = mkdtempSync(join(tmpdir(), 'session-client-'));

async function basicRegistry(name: string): Promise<LocalServer> {
  seen[name] = [];
  return startHttpServer((req, res) => {
    const auth = req.headers.authorization;
    if (!auth) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    seen[name]?.push(Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString());
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"tags":["1"]}');
  });
}

beforeAll(async () => {
  [registry, other] = [await basicRegistry('registry'), await basicRegistry('other')];
  const auth = Buffer.from(`${STORED.username}:${STORED.password}`).toString('base64');
  writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [other.host]: { auth } } }));
  process.env.DOCKER_CONFIG = dockerConfig;
});
afterAll(async () => {
  await Promise.all([registry.close(), other.close()]);
  rmSync(dockerConfig, { recursive: true, force: true });
  delete process.env.DOCKER_CONFIG;
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe('newRegistryClient', () => {
  it("sends the chosen credentials to 'registry', and the docker config's login to another host, masked first", async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const client = newRegistryClient(registry.host, CHOSEN);
    await client.listTags(parseReference(`${registry.host}/octo-org/app`));
    await client.listTags(parseReference(`${other.host}/octo-org/app`));
    const printed = write.mock.calls.map(([chunk]) => String(chunk)).join('');
    expect(seen.registry).toEqual([`${CHOSEN.username}:${CHOSEN.password}`]);
    expect(seen.other).toEqual([`${STORED.username}:${STORED.password}`]);
    expect(printed.indexOf(`::add-mask::${STORED.password}`)).toBeGreaterThanOrEqual(0);
    expect(printed).toContain(
      `${other.host}: using the docker config's login for it (never the GitHub token).`,
    );
    const unmasked = printed.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    expect(unmasked.join('\n')).not.toContain(CHOSEN.password);
  });

  it("sends nothing to 'registry' when no credentials were chosen, not even the docker config's login", async () => {
    seen.registry = [];
    const auth = Buffer.from(`${STORED.username}:${STORED.password}`).toString('base64');
    writeFileSync(
      join(dockerConfig, 'config.json'),
      JSON.stringify({ auths: { [registry.host]: { auth } } }),
    );
    const client = newRegistryClient(registry.host, undefined);
    await expect(client.listTags(parseReference(`${registry.host}/octo-org/app`))).rejects.toThrow(/401/);
    expect(seen.registry).toEqual([]);
  });
});
