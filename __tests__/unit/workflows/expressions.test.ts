import { describe, expect, it } from '@jest/globals';
import { classify, describeSecret, expandEnv, registryHost } from '../../../src/workflows/expressions.js';

const ENV: Record<string, string> = {
  PAT: '${{ secrets.CR_PAT }}',
  GT: '${{ github.token }}',
  LOOP: '$LOOP',
};
const env = (name: string) => ENV[name];

describe('classify', () => {
  it('knows GITHUB_TOKEN in its spellings', () => {
    for (const v of [
      '${{ secrets.GITHUB_TOKEN }}',
      '${{secrets.github_token}}',
      ' ${{ github.token }} ',
      '$GT',
      '${{ env.GT }}',
    ])
      expect(classify(v, env)).toEqual({ kind: 'github-token' });
  });

  it('names other secrets, through env variables too', () => {
    expect(classify('${{ secrets.CR_PAT }}', env)).toEqual({ kind: 'secret', secret: 'CR_PAT' });
    expect(classify('${{ env.PAT }}', env)).toEqual({ kind: 'secret', secret: 'CR_PAT', envName: 'PAT' });
    expect(classify('${PAT}', env)).toEqual({ kind: 'secret', secret: 'CR_PAT', envName: 'PAT' });
    expect(classify('${{ secrets.GHCR || github.token }}', env)).toEqual({ kind: 'secret', secret: 'GHCR' });
  });

  it('calls anything else other (unknown variables, plain text, loops)', () => {
    for (const v of ['hunter2', '$UNSET', '${{ inputs.token }}', '$LOOP', ''])
      expect(classify(v, env)).toEqual({ kind: 'other' });
  });
});

describe('helpers', () => {
  it('describes a secret with the env variable that carried it', () => {
    expect(describeSecret({ secret: 'CR_PAT' })).toBe('secrets.CR_PAT');
    expect(describeSecret({ secret: 'CR_PAT', envName: 'PAT' })).toBe('env PAT (secrets.CR_PAT)');
  });

  it('expands env references and reduces a registry to its host', () => {
    expect(expandEnv('${{ env.R }}/$R/${R}/$NONE', (n) => (n === 'R' ? 'ghcr.io' : undefined))).toBe(
      'ghcr.io/ghcr.io/ghcr.io/$NONE',
    );
    expect(registryHost('https://GHCR.io/octo-org')).toBe('ghcr.io');
    expect(registryHost('')).toBe('');
  });
});
