import { describe, expect, it } from '@jest/globals';
import {
  describeTokenKind,
  isPersonalAccessToken,
  tokenKind,
  type TokenKind,
} from '../../../src/github/token-kind.js';

/** A JWT-like segment: base64url header.payload.signature, as the new GITHUB_TOKEN format carries. */
function jwtLike(length: number): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ iss: '123456', exp: 1_900_000_000 })).toString('base64url');
  const fixed = `${header}.${payload}.`;
  return fixed + 'S'.repeat(Math.max(0, length - fixed.length));
}

const NEW_INSTALLATION_TOKEN = `ghs_123456_${jwtLike(520 - 'ghs_123456_'.length)}`;

describe('tokenKind', () => {
  it.each<[string, TokenKind]>([
    ['ghs_16C7e42F292c6912E7710c838347Ae178B4a', 'installation'],
    ['ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'classic-pat'],
    [
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV',
      'fine-grained-pat',
    ],
    ['gho_16C7e42F292c6912E7710c838347Ae178B4a', 'oauth'],
    ['ghu_16C7e42F292c6912E7710c838347Ae178B4a', 'user-to-server'],
    ['ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498', 'refresh'],
    ['s3cr3t-registry-password', 'other'],
    ['', 'other'],
    // Prefixes are case-sensitive and must be at the start.
    ['GHS_16C7e42F292c6912E7710c838347Ae178B4a', 'other'],
    ['xghp_16C7e42F292c6912E7710c838347Ae178B4a', 'other'],
    ['ghs', 'other'],
  ])('%s -> %s', (token, kind) => {
    expect(tokenKind(token)).toBe(kind);
  });

  it('recognises a new-format ghs_<APPID>_<JWT> installation token of ~520 characters by its prefix', () => {
    expect(NEW_INSTALLATION_TOKEN.length).toBe(520);
    expect(NEW_INSTALLATION_TOKEN).toMatch(/^ghs_\d+_[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(tokenKind(NEW_INSTALLATION_TOKEN)).toBe('installation');
  });

  it('decides by prefix, never by length', () => {
    expect(tokenKind(`github_pat_${'a'.repeat(500)}`)).toBe('fine-grained-pat');
    expect(tokenKind(`ghp_${'a'.repeat(500)}`)).toBe('classic-pat');
  });
});

describe('describeTokenKind', () => {
  it.each<[TokenKind, string]>([
    ['installation', 'ghs_'],
    ['classic-pat', 'ghp_'],
    ['fine-grained-pat', 'github_pat_'],
    ['oauth', 'gho_'],
    ['user-to-server', 'ghu_'],
    ['refresh', 'ghr_'],
  ])('%s mentions the prefix %s', (kind, prefix) => {
    expect(describeTokenKind(kind)).toContain(`(${prefix}`);
  });

  it('names the kind in words', () => {
    expect(describeTokenKind('installation')).toMatch(/installation token.*GITHUB_TOKEN/);
    expect(describeTokenKind('classic-pat')).toMatch(/classic personal access token/);
    expect(describeTokenKind('fine-grained-pat')).toMatch(/fine-grained personal access token/);
    expect(describeTokenKind('refresh')).toMatch(/cannot authenticate by itself/);
  });

  it('says a token without a known prefix has no GitHub prefix', () => {
    expect(describeTokenKind('other')).toBe('a token without a GitHub prefix');
  });

  it('describes each kind differently', () => {
    const kinds: TokenKind[] = [
      'installation',
      'classic-pat',
      'fine-grained-pat',
      'oauth',
      'user-to-server',
      'refresh',
      'other',
    ];
    expect(new Set(kinds.map(describeTokenKind)).size).toBe(kinds.length);
  });
});

describe('isPersonalAccessToken', () => {
  it.each<[TokenKind, boolean]>([
    ['classic-pat', true],
    ['fine-grained-pat', true],
    ['installation', false],
    ['oauth', false],
    ['user-to-server', false],
    ['refresh', false],
    ['other', false],
  ])('%s -> %s', (kind, expected) => {
    expect(isPersonalAccessToken(kind)).toBe(expected);
  });

  it('holds for tokens read by prefix', () => {
    expect(isPersonalAccessToken(tokenKind('ghp_abc'))).toBe(true);
    expect(isPersonalAccessToken(tokenKind('github_pat_abc'))).toBe(true);
    expect(isPersonalAccessToken(tokenKind(NEW_INSTALLATION_TOKEN))).toBe(false);
  });
});
