import { afterEach, describe, expect, it } from '@jest/globals';
import { ActionError } from '../../src/errors.js';
import { COMMANDS, readInputs } from '../../src/inputs.js';

// core.getInput reads INPUT_<NAME> from the environment, as on the runner: no mock needed.
afterEach(() => {
  delete process.env.INPUT_COMMAND;
});

describe('readInputs', () => {
  it('defaults the command to publish', () => {
    expect(readInputs().command).toBe('publish');
  });

  it.each(COMMANDS)('accepts %s, whatever its case and spacing', (command) => {
    process.env.INPUT_COMMAND = `  ${command.toUpperCase()} `;
    expect(readInputs().command).toBe(command);
  });

  it('rejects an unknown command, quoting it and listing the valid ones', () => {
    process.env.INPUT_COMMAND = 'deploy';
    expect(() => readInputs()).toThrow(ActionError);
    expect(() => readInputs()).toThrow(/'deploy'.*\n.*publish, pull, resolve, promote, migrate/);
  });
});
