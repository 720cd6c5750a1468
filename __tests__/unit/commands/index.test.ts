import { describe, expect, it } from '@jest/globals';
import { handlerFor } from '../../../src/commands/index.js';
import { promote } from '../../../src/commands/promote.js';
import { publish } from '../../../src/commands/publish.js';
import { ActionError } from '../../../src/errors.js';

describe('handlerFor', () => {
  it('dispatches each implemented command to its own file', () => {
    expect(handlerFor('publish')).toBe(publish);
    expect(handlerFor('promote')).toBe(promote);
  });

  it('fails a command this version does not have, saying so instead of doing half a job', () => {
    const run = () => handlerFor('migrate');
    expect(run).toThrow(ActionError);
    expect(run).toThrow("The command 'migrate' is not available in this version of the action yet.");
  });
});
