import { describe, expect, it } from '@jest/globals';
import type { EnvLookup } from '../../../src/workflows/expressions.js';
import { scriptLogins } from '../../../src/workflows/scripts.js';

const ENV: Record<string, string> = {
  CR_PAT: '${{ secrets.CR_PAT }}',
  TOKEN: '${{ secrets.GITHUB_TOKEN }}',
  REGISTRY: 'ghcr.io',
};
const env: EnvLookup = (name) => ENV[name];
const github = (host: string) => host === 'ghcr.io';
const logins = (script: string) => scriptLogins(script, env, github);
const T = '${{ secrets.GITHUB_TOKEN }}';

describe('scriptLogins', () => {
  it('finds a secret piped to --password-stdin and swaps only the secret', () => {
    const [login, ...rest] = logins(
      'set -e\necho "${{ secrets.CR_PAT }}" | docker login ghcr.io -u me --password-stdin',
    );
    expect(rest).toEqual([]);
    expect(login).toEqual({
      index: 1,
      host: 'ghcr.io',
      credential: { kind: 'secret', secret: 'CR_PAT' },
      rewritten: `echo "${T}" | docker login ghcr.io -u me --password-stdin`,
    });
  });

  it('turns a password on argv into --password-stdin fed from GITHUB_TOKEN', () => {
    expect(logins('  sudo docker login -u me -p $CR_PAT ghcr.io')[0]).toMatchObject({
      credential: { kind: 'secret', secret: 'CR_PAT', envName: 'CR_PAT' },
      rewritten: `  echo "${T}" | sudo docker login -u me ghcr.io --password-stdin`,
    });
    expect(logins('podman login --password=${{ secrets.CR_PAT }} --username me ghcr.io')[0]?.rewritten).toBe(
      `echo "${T}" | podman login --username me ghcr.io --password-stdin`,
    );
  });

  it('follows env variables for the registry and the password (printf, here-strings)', () => {
    expect(
      logins(`printf '%s' "$CR_PAT" | buildah login -u me --password-stdin $REGISTRY`)[0]?.rewritten,
    ).toBe(`printf '%s' "${T}" | buildah login -u me --password-stdin $REGISTRY`);
    expect(logins('docker login ghcr.io -u me --password-stdin <<< "$CR_PAT"')[0]?.rewritten).toBe(
      `docker login ghcr.io -u me --password-stdin <<< "${T}"`,
    );
  });

  it('reports but does not rewrite shapes it does not know exactly', () => {
    const odd = [
      'docker login ghcr.io -u me -p "$CR_PAT" && docker push ghcr.io/o/a',
      'echo "$CR_PAT" | docker login ghcr.io \\\n  -u me --password-stdin',
      'docker login --tls-verify=false ghcr.io -u me -p $CR_PAT',
      'cat <(echo $CR_PAT) | docker login ghcr.io -u me --password-stdin',
    ];
    for (const script of odd) {
      const [login] = logins(script);
      expect(login?.credential).toMatchObject({ kind: 'secret', secret: 'CR_PAT' });
      expect(login?.rewritten).toBeUndefined();
    }
  });

  it('ignores other registries, Docker Hub, comments, and tells GITHUB_TOKEN logins apart', () => {
    expect(logins('echo "$CR_PAT" | docker login -u me --password-stdin')).toEqual([]);
    expect(
      logins(
        'aws ecr get-login-password | docker login --username AWS --password-stdin 1.dkr.ecr.us-east-1.amazonaws.com',
      ),
    ).toEqual([]);
    expect(logins('# docker login ghcr.io -p $CR_PAT')).toEqual([]);
    expect(logins('echo "$TOKEN" | docker login ghcr.io -u me --password-stdin')[0]?.credential).toEqual({
      kind: 'github-token',
    });
    expect(
      logins('echo ${{ github.token }} | docker login ghcr.io -u me --password-stdin')[0]?.credential,
    ).toEqual({ kind: 'github-token' });
    expect(logins('docker login ghcr.io < token.txt')[0]?.credential).toEqual({ kind: 'other' });
  });
});
