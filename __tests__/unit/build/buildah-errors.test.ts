import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildahBuilder, connectionProblem } from '../../../src/build/buildah.js';
import { ActionError } from '../../../src/errors.js';
import { parseReference } from '../../../src/registry/index.js';
import { buildWorkDir } from '../../support/build-request.js';

// What buildah 1.28.2 printed (stdout, then stderr) when a push or a bud failed, recorded on this project's
// machine against docker-registry instances with self-signed, wrong-name, expired and client-certificate TLS
// set-ups, the stand-in's plain-http registry, a closed port, and a Dockerfile whose RUN fails.
const BLOB = 'sha256:79e1b33f4b17f751c41f0faa3d92dabcda0afe7794274538a0147940c3199c0d';
const PUSHING = (to: string) =>
  `Getting image source signatures\nCopying blob ${BLOB}\nError: pushing image "127.0.0.1:5591/octo-org/app:1" to "docker://${to}/octo-org/app:1": trying to reuse blob ${BLOB} at destination: `;
const RECORDED = {
  unknownAuthority: `${PUSHING('127.0.0.1:5591')}pinging container registry 127.0.0.1:5591: Get "https://127.0.0.1:5591/v2/": x509: certificate signed by unknown authority\n`,
  noIpSans: `${PUSHING('127.0.0.1:5592')}pinging container registry 127.0.0.1:5592: Get "https://127.0.0.1:5592/v2/": x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs\n`,
  wrongName: `${PUSHING('localhost:5592')}pinging container registry localhost:5592: Get "https://localhost:5592/v2/": x509: certificate is valid for other.test, not localhost\n`,
  expired: `${PUSHING('127.0.0.1:5593')}pinging container registry 127.0.0.1:5593: Get "https://127.0.0.1:5593/v2/": x509: certificate has expired or is not yet valid: current time 2026-11-27T15:05:55Z is after 2020-01-02T00:00:00Z\n`,
  clientCertificate: `${PUSHING('127.0.0.1:5594')}pinging container registry 127.0.0.1:5594: Get "https://127.0.0.1:5594/v2/": remote error: tls: bad certificate\n`,
  plainHttpLoopback: `${PUSHING('127.0.0.1:5100')}pinging container registry 127.0.0.1:5100: Get "https://127.0.0.1:5100/v2/": http: server gave HTTP response to HTTPS client\n`,
  budPullUnknownAuthority:
    'STEP 1/2: FROM 127.0.0.1:5591/octo-org/app:1\nTrying to pull 127.0.0.1:5591/octo-org/app:1...\nError: creating build container: initializing source docker://127.0.0.1:5591/octo-org/app:1: pinging container registry 127.0.0.1:5591: Get "https://127.0.0.1:5591/v2/": x509: certificate signed by unknown authority\n',
  refused: [
    `Getting image source signatures\nCopying blob ${BLOB}`,
    `time="2026-11-27T15:05:42Z" level=warning msg="Failed, retrying in 2s ... (1/3). Error: trying to reuse blob ${BLOB} at destination: pinging container registry 127.0.0.1:5599: Get \\"https://127.0.0.1:5599/v2/\\": dial tcp 127.0.0.1:5599: connect: connection refused"`,
    `${PUSHING('127.0.0.1:5599')}pinging container registry 127.0.0.1:5599: Get "https://127.0.0.1:5599/v2/": dial tcp 127.0.0.1:5599: connect: connection refused\n`,
  ].join('\n'),
  denied: `${PUSHING('127.0.0.1:5100')}checking whether a blob ${BLOB} exists in 127.0.0.1:5100/octo-org/app: errors:\ndenied: requested access to the resource is denied\nerror parsing HTTP 401 response body: unexpected end of JSON input: ""\n\n`,
  failedStep:
    'STEP 1/2: FROM 127.0.0.1:5102/library/busybox:latest\nSTEP 2/2: RUN echo building && exit 3\nbuilding\nsubprocess exited with status 3\nsubprocess exited with status 3\nError: building at STEP "RUN echo building && exit 3": exit status 3\n',
  // A RUN step that prints (and is quoted with) words like a TLS failure: still the build's failure.
  failedStepSayingX509:
    'STEP 1/2: FROM 127.0.0.1:5102/library/busybox:latest\nSTEP 2/2: RUN wget -q https://registry.invalid/ || echo "wget: x509: certificate signed by unknown authority" >&2; exit 4\nwget: bad address \'registry.invalid\'\nwget: x509: certificate signed by unknown authority\nError: building at STEP "RUN wget -q https://registry.invalid/ || echo "wget: x509: certificate signed by unknown authority" >&2; exit 4": while running runtime: exit status 4\n',
  pushed: `Getting image source signatures\nCopying blob ${BLOB}\nCopying config sha256:334323419012afdf73f4300484a840f6c8eed7663af97ec63a1e6bf461650e47\nWriting manifest to image destination\nStoring signatures\n`,
};

describe('connectionProblem: a TLS failure in buildah output, said plainly', () => {
  it.each<[keyof typeof RECORDED, string, string]>([
    ['unknownAuthority', '127.0.0.1:5591', 'x509: certificate signed by unknown authority'],
    ['noIpSans', '127.0.0.1:5592', "doesn't contain any IP SANs"],
    ['wrongName', 'localhost:5592', 'x509: certificate is valid for other.test, not localhost'],
    ['expired', '127.0.0.1:5593', 'x509: certificate has expired or is not yet valid'],
    ['budPullUnknownAuthority', '127.0.0.1:5591', 'x509: certificate signed by unknown authority'],
  ])(
    '%s: the registry and its certificate are named, and the fix is a trusted certificate',
    (name, host, x509) => {
      const problem = connectionProblem(RECORDED[name]);
      expect(problem?.what).toContain(`${host} presented a TLS certificate that is not trusted here`);
      expect(problem?.what).toContain(x509);
      expect(problem?.fix).toContain(`/etc/containers/certs.d/${host}/ca.crt`);
      expect(problem?.fix).toMatch(/CA certificate/);
      expect(`${problem?.what} ${problem?.fix}`).not.toMatch(/network/i);
    },
  );

  it('a TLS handshake refused (the registry wants a client certificate): said as a TLS failure', () => {
    expect(connectionProblem(RECORDED.clientCertificate)).toEqual({
      what: 'the TLS handshake with 127.0.0.1:5594 failed (tls: bad certificate)',
      fix: expect.stringContaining('certificate'),
    });
  });

  it('Go 1.20+ words it "tls: failed to verify certificate: x509: ...": the x509 reason is named', () => {
    const line = `${PUSHING('registry.example')}pinging container registry registry.example: Get "https://registry.example/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority`;
    expect(connectionProblem(line)?.what).toBe(
      'registry.example presented a TLS certificate that is not trusted here (x509: certificate signed by unknown authority)',
    );
  });

  it('a plain-http registry: says so; on this machine the fix is registries.conf, elsewhere https', () => {
    expect(connectionProblem(RECORDED.plainHttpLoopback)).toEqual({
      what: '127.0.0.1:5100 answers plain http, not https',
      fix: expect.stringContaining("list 127.0.0.1:5100 with 'insecure = true' in registries.conf"),
    });
    const remote = RECORDED.plainHttpLoopback.replaceAll('127.0.0.1:5100', 'registry.example:5000');
    expect(connectionProblem(remote)?.fix).toMatch(/^serve the registry over https/);
  });

  it.each<keyof typeof RECORDED>(['refused', 'denied', 'failedStep', 'failedStepSayingX509', 'pushed'])(
    '%s: nothing to say (undefined)',
    (name) => {
      expect(connectionProblem(RECORDED[name])).toBeUndefined();
    },
  );

  it('registry text is made printable on one line', () => {
    const hostile = `Error: pinging container registry evil.example: Get "https://evil.example/v2/": x509: certificate is valid for \u001b[31mred\u202e, not evil.example`;
    const what = connectionProblem(hostile)?.what ?? '';
    for (const unsafe of ['\u001b', '\u202e']) expect(what).not.toContain(unsafe);
    expect(what).toContain('?[31mred?');
  });
});

// The builder with a stand-in buildah on PATH: bud writes the iid file, push prints recorded output and fails.
describe('buildahBuilder: what a failed bud or push says', () => {
  const { workDir, context, file, request } = buildWorkDir('build-buildah-errors-');
  const bin = join(workDir, 'bin');
  mkdirSync(bin);
  mkdirSync(context);
  writeFileSync(file, 'FROM 127.0.0.1:5102/library/busybox:latest\n');
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });
  afterAll(() => {
    process.env.PATH = savedPath;
  });

  /** A buildah whose `bud` and `push` print `output` (recorded) on stderr and exit with `code` (0: success). */
  function buildahOnPath(step: 'bud' | 'push', output: string, code: number): void {
    writeFileSync(join(bin, 'output'), output);
    const script = [
      '#!/bin/sh',
      'cmd=$1',
      'while [ $# -gt 0 ]; do case "$1" in --iidfile|--digestfile) echo sha256:0000 > "$2"; shift;; esac; shift; done',
      `if [ "$cmd" = "${step}" ]; then cat "${join(bin, 'output')}" >&2; exit ${code}; fi`,
      'exit 0',
    ].join('\n');
    writeFileSync(join(bin, 'buildah'), `${script}\n`);
    chmodSync(join(bin, 'buildah'), 0o755);
    process.env.PATH = `${bin}:${savedPath ?? ''}`;
  }

  const pushRequest = () => request({ image: parseReference('registry.example/octo-org/app'), push: true });

  it('a push refused for its certificate: says so, and the fix is a trusted certificate', async () => {
    buildahOnPath('push', RECORDED.unknownAuthority.replaceAll('127.0.0.1:5591', 'registry.example'), 125);
    const error = await buildahBuilder.build(pushRequest()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ActionError);
    const message = (error as ActionError).message;
    expect(message).toContain(
      'buildah push registry.example/octo-org/app:1.0 failed (exit 125): registry.example presented a TLS certificate that is not trusted here (x509: certificate signed by unknown authority).',
    );
    expect((error as ActionError).fix).toContain('/etc/containers/certs.d/registry.example/ca.crt');
    expect((error as ActionError).fix).not.toMatch(/network/i);
  });

  it('a push failing otherwise: the recorded words, and the push fix as before', async () => {
    buildahOnPath('push', RECORDED.denied, 125);
    const error = (await buildahBuilder
      .build(pushRequest())
      .catch((caught: unknown) => caught)) as ActionError;
    expect(error.message).toMatch(
      /^buildah push registry\.example\/octo-org\/app:1\.0 failed \(exit 125\):\n/,
    );
    expect(error.message).toContain('denied: requested access to the resource is denied');
    expect(error.fix).toBe(
      'read the output above; the push rights were proven before the build, so look for a network or registry failure.',
    );
  });

  it.each<keyof typeof RECORDED>(['failedStep', 'failedStepSayingX509'])(
    'a failed build step (%s): the build is blamed, not the network or TLS',
    async (name) => {
      buildahOnPath('bud', RECORDED[name], 3);
      const error = (await buildahBuilder.build(request()).catch((caught: unknown) => caught)) as ActionError;
      expect(error).toBeInstanceOf(ActionError);
      expect(error.message).toMatch(/^buildah bud failed \(exit 3\):\n/);
      expect(error.fix).toBe('read the build log above; fix the Dockerfile or the inputs.');
    },
  );

  it('a bud whose base image pull is refused for its certificate: says so', async () => {
    buildahOnPath('bud', RECORDED.budPullUnknownAuthority, 125);
    const error = (await buildahBuilder.build(request()).catch((caught: unknown) => caught)) as ActionError;
    expect(error.message).toContain(
      'buildah bud failed (exit 125): 127.0.0.1:5591 presented a TLS certificate that is not trusted here',
    );
    expect(error.fix).toContain('/etc/containers/certs.d/127.0.0.1:5591/ca.crt');
  });
});
