import { describe, expect, it } from '@jest/globals';
import { ActionError, errorMessage } from '../../src/errors.js';

describe('ActionError', () => {
  it('prints what failed, then the fix on its own line', () => {
    const error = new ActionError("Input 'tags' is empty.", "set 'tags'.", { cause: new Error('inner') });
    expect(error.message).toBe("Input 'tags' is empty.\nFix: set 'tags'.");
    expect(error.fix).toBe("set 'tags'.");
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe('errorMessage', () => {
  it('is the message of an Error, else the thrown value as text', () => {
    expect(errorMessage(new TypeError('bad'))).toBe('bad');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(42)).toBe('42');
  });
});
