import * as core from '@actions/core';
import { ActionError } from './errors.js';

/** The only module that calls core.getInput*: everything else receives the typed, validated Inputs. */

export const COMMANDS = ['publish', 'pull', 'resolve', 'promote', 'migrate'] as const;
export type Command = (typeof COMMANDS)[number];

export interface Inputs {
  command: Command;
}

function isCommand(value: string): value is Command {
  return (COMMANDS as readonly string[]).includes(value);
}

export function readInputs(): Inputs {
  const raw = core.getInput('command').trim().toLowerCase() || 'publish';
  if (!isCommand(raw)) {
    throw new ActionError(
      `Input 'command' is '${core.getInput('command')}', which is not a command of this action.`,
      `set 'command' to one of: ${COMMANDS.join(', ')} (default: publish).`,
    );
  }
  return { command: raw };
}
