import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { parseReference } from '../../src/registry/index.js';
import { makeImage, pushImage, stackClient, uniqueTag } from '../support/registry.js';
import { describeWithStack } from '../support/stack.js';
import { stackJob } from '../support/step.js';
import { makeCertificates, REGISTRY_NAME, type Certificates } from '../support/tls.js';

const HOSTS = '/etc/hosts';
const HOSTS_LINE = `127.0.0.1 ${REGISTRY_NAME} # ghcr-image-action test: private-ca`;

/**
 * An https front on 127.0.0.1 for the stand-in's basic-auth registry, with a certificate for REGISTRY_NAME from
 * a private CA: the registry a GitHub Enterprise Server with its own CA looks like. Locations the registry
 * names on its own http origin are pointed back at the front.
 */
async function tlsFront(
  certificates: Certificates,
  upstream: string,
): Promise<{ server: Server; port: number }> {
  let port = 0;
  const server = createServer(certificates.registryName, (req, res) => {
    const [host, upstreamPort] = upstream.split(':');
    const forward = httpRequest(
      {
        host,
        port: Number(upstreamPort),
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream },
      },
      (answer) => {
        const headers = { ...answer.headers };
        if (typeof headers.location === 'string') {
          headers.location = headers.location.replace(
            `http://${upstream}`,
            `https://${REGISTRY_NAME}:${port}`,
          );
        }
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  return { server, port };
}

// A registry behind a private CA, reached by name over https: trusted through NODE_EXTRA_CA_CERTS, and refused
// with the fix that names it when the CA is not given. The name is mapped to 127.0.0.1 in /etc/hosts for the
// test (no DNS query leaves the machine); the line is removed afterwards.
describeWithStack('a registry with a private certificate authority', (stack) => {
  const e = stack.env;
  const image = makeImage({ label: 'private-ca' });
  const repository = `${e.OWNER}/private-ca-${uniqueTag('c')}`;
  let certificates: Certificates;
  let front: { server: Server; port: number };
  let hostsBefore = '';

  beforeAll(async () => {
    hostsBefore = readFileSync(HOSTS, 'utf8');
    if (!hostsBefore.includes(HOSTS_LINE))
      writeFileSync(HOSTS, `${hostsBefore.replace(/\n?$/, '\n')}${HOSTS_LINE}\n`);
    certificates = makeCertificates();
    front = await tlsFront(certificates, e.REGISTRY_BASIC);
    await pushImage(stackClient(e).client, parseReference(`${e.REGISTRY_BASIC}/${repository}:1.0`), image);
  });
  afterAll(async () => {
    front.server.closeAllConnections();
    front.server.close();
    rmSync(certificates.dir, { recursive: true, force: true });
    writeFileSync(HOSTS, readFileSync(HOSTS, 'utf8').replace(`${HOSTS_LINE}\n`, ''));
  });

  const pull = (env: NodeJS.ProcessEnv, destination: string) => {
    const registry = `${REGISTRY_NAME}:${front.port}`;
    return stackJob(stack, { env }).main({
      command: 'pull',
      registry,
      source: `${registry}/${repository}:1.0`,
      destination,
      username: e.BASIC_USER,
      password: e.BASIC_PASSWORD,
    });
  };

  it('works over https when NODE_EXTRA_CA_CERTS names the CA: the pulled image is the one pushed', async () => {
    const layout = `oci-layout:${certificates.dir}/layout`;
    const result = await pull({ NODE_EXTRA_CA_CERTS: certificates.caFile }, layout);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.outputs.digest).toBe(image.manifest.digest);
    const index = JSON.parse(readFileSync(`${certificates.dir}/layout/index.json`, 'utf8')) as {
      manifests: { digest: string }[];
    };
    expect(index.manifests.map((m) => m.digest)).toContain(image.manifest.digest);
  });

  it('without the CA: refused as an untrusted certificate, with NODE_EXTRA_CA_CERTS as the fix, nothing written', async () => {
    const result = await pull({ NODE_EXTRA_CA_CERTS: '' }, `oci-layout:${certificates.dir}/refused`);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain(
      `could not reach ${REGISTRY_NAME}:${front.port}: its TLS certificate is signed by an authority this runner does not trust`,
    );
    expect(result.stdout).toContain('NODE_EXTRA_CA_CERTS: /path/to/ca.pem');
    expect(result.stdout).toContain('1 attempt, not retried');
    expect(() => readFileSync(`${certificates.dir}/refused/index.json`)).toThrow();
  });
});
