import { describe, expect, it } from '@jest/globals';
import {
  deleteScope,
  mergeScopes,
  pullScope,
  pushScope,
  scopeString,
  type Scope,
} from '../../../src/registry/scope.js';

describe('scopeString', () => {
  it.each<[Scope, string]>([
    [{ repository: 'o/r', actions: ['pull'] }, 'repository:o/r:pull'],
    [{ repository: 'o/team/app', actions: ['pull', 'push'] }, 'repository:o/team/app:pull,push'],
  ])('%p -> %p', (scope, expected) => {
    expect(scopeString(scope)).toBe(expected);
  });
});

describe('pullScope, pushScope and deleteScope', () => {
  it('asks for pull only to read', () => {
    expect(pullScope('o/app')).toEqual([{ repository: 'o/app', actions: ['pull'] }]);
  });

  it('asks for pull and push to write (a push reads too)', () => {
    expect(pushScope('o/app')).toEqual([{ repository: 'o/app', actions: ['pull', 'push'] }]);
  });

  it('asks for delete only to delete', () => {
    expect(deleteScope('o/app')).toEqual([{ repository: 'o/app', actions: ['delete'] }]);
  });

  it('names the scopes a token service is asked for', () => {
    expect(pullScope('o/team/app').map(scopeString)).toEqual(['repository:o/team/app:pull']);
    expect(pushScope('o/team/app').map(scopeString)).toEqual(['repository:o/team/app:pull,push']);
    expect(deleteScope('o/team/app').map(scopeString)).toEqual(['repository:o/team/app:delete']);
  });

  it('merges scopes per repository, actions joined and sorted (one token asks for all of them)', () => {
    expect(mergeScopes(pullScope('o/b'), pushScope('o/a'), pullScope('o/a'), deleteScope('o/b'))).toEqual([
      { repository: 'o/a', actions: ['pull', 'push'] },
      { repository: 'o/b', actions: ['delete', 'pull'] },
    ]);
    expect(mergeScopes()).toEqual([]);
  });

  it('gives a fresh list each time, so a caller may add a scope to it', () => {
    const scopes = pushScope('o/app');
    scopes.push(...pullScope('o/other'));
    expect(pushScope('o/app')).toHaveLength(1);
  });
});
