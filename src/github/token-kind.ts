/** GitHub credentials told apart by their prefix (never by length: GITHUB_TOKEN's format is changing). */

export type TokenKind =
  | 'installation' // ghs_: GITHUB_TOKEN and GitHub App installation tokens
  | 'classic-pat' // ghp_
  | 'fine-grained-pat' // github_pat_
  | 'oauth' // gho_
  | 'user-to-server' // ghu_
  | 'refresh' // ghr_
  | 'other';

const PREFIXES: [string, TokenKind][] = [
  ['github_pat_', 'fine-grained-pat'],
  ['ghs_', 'installation'],
  ['ghp_', 'classic-pat'],
  ['gho_', 'oauth'],
  ['ghu_', 'user-to-server'],
  ['ghr_', 'refresh'],
];

export function tokenKind(token: string): TokenKind {
  return PREFIXES.find(([prefix]) => token.startsWith(prefix))?.[1] ?? 'other';
}

export function describeTokenKind(kind: TokenKind): string {
  switch (kind) {
    case 'installation':
      return 'an installation token (ghs_, like GITHUB_TOKEN)';
    case 'classic-pat':
      return 'a classic personal access token (ghp_)';
    case 'fine-grained-pat':
      return 'a fine-grained personal access token (github_pat_)';
    case 'oauth':
      return 'an OAuth app token (gho_)';
    case 'user-to-server':
      return 'a GitHub App user token (ghu_)';
    case 'refresh':
      return 'a refresh token (ghr_), which cannot authenticate by itself';
    case 'other':
      return 'a token without a GitHub prefix';
  }
}

export function isPersonalAccessToken(kind: TokenKind): boolean {
  return kind === 'classic-pat' || kind === 'fine-grained-pat';
}
