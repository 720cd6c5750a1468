import { describe, expect, it } from '@jest/globals';
import { ActionError } from '../../../src/errors.js';
import { parseKeyValues } from '../../../src/inputs/key-values.js';

describe('parseKeyValues', () => {
  it('reads KEY=VALUE items: values keep their "=", keys are trimmed, later keys win, blanks are skipped', () => {
    const items = ['A=1', 'URL=https://x.example/?a=b', ' SPACED =v', 'EMPTY=', '', 'A=2'];
    expect(parseKeyValues(items, 'build-args')).toEqual({
      A: '2',
      URL: 'https://x.example/?a=b',
      SPACED: 'v',
      EMPTY: '',
    });
  });

  it('keeps a key named __proto__ as an ordinary key', () => {
    const parsed = parseKeyValues(['__proto__=x'], 'labels');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.entries(parsed)).toEqual([['__proto__', 'x']]);
  });

  it.each([
    ['NOVALUE', "it has no '='"],
    ['=value', "it has no key before '='"],
    ['MY KEY=1', 'its key contains whitespace'],
  ])('rejects %j, naming the input and the form', (item, why) => {
    for (const input of ['labels', 'build-args']) {
      const run = (): Record<string, string> => parseKeyValues(['OK=1', item], input);
      expect(run).toThrow(ActionError);
      expect(run).toThrow(`The item '${item}' of '${input}' is not KEY=VALUE: ${why}.`);
      expect(run).toThrow(new RegExp(`\\nFix: Write each item of '${input}' as KEY=VALUE`));
    }
  });
});
