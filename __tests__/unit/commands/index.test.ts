import { describe, expect, it } from '@jest/globals';
import { handlerFor } from '../../../src/commands/index.js';
import { merge } from '../../../src/commands/merge.js';
import { migrate } from '../../../src/commands/migrate.js';
import { promote } from '../../../src/commands/promote.js';
import { publish } from '../../../src/commands/publish.js';
import { ActionError } from '../../../src/errors.js';
import type { Command } from '../../../src/inputs/index.js';

describe('handlerFor', () => {
  it('dispatches each implemented command to its own file, loaded when it runs', async () => {
    await expect(handlerFor('publish')).resolves.toBe(publish);
    await expect(handlerFor('promote')).resolves.toBe(promote);
    await expect(handlerFor('merge')).resolves.toBe(merge);
    await expect(handlerFor('migrate')).resolves.toBe(migrate);
  });

  it('fails a command this version does not have, saying so instead of doing half a job', async () => {
    // Every listed command may be implemented by now: a name outside the list stands in for one that is not.
    const run = () => handlerFor('later' as Command);
    await expect(run()).rejects.toThrow(ActionError);
    await expect(run()).rejects.toThrow(
      "The command 'later' is not available in this version of the action yet.",
    );
  });
});
