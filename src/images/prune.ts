/**
 * Deleting the planned versions, in the plan's order (whatever refers to another deleted version goes first).
 * The first failure stops the run: what was deleted until then is reported, and the error says what was not.
 */
import * as core from '@actions/core';
import type { RunContext } from '../context.js';
import { ActionError, errorMessage } from '../errors.js';
import { explainApiRefusal, isApiRefusal } from '../github/package-refusals.js';
import { fallbackWarning, nextDeleter, type PackageSession } from '../session/packages.js';
import type { Decision } from './retention.js';

export interface Pruned {
  deleted: Decision[];
  /** The session that deleted (GITHUB_TOKEN, or the PAT it fell back to). */
  session: PackageSession;
}

/** Why deleting stopped, with what was deleted so far (for the report) attached. */
export class PruneError extends ActionError {
  constructor(
    what: string,
    fix: string,
    readonly deleted: Decision[],
    cause: unknown,
  ) {
    super(what, fix, { cause });
    this.name = 'PruneError';
  }
}

const describe = (d: Decision) =>
  `${d.version.digest} (id ${d.version.id}${d.version.tags.length ? `, tags ${d.version.tags.join(', ')}` : ', untagged'})`;

export async function prune(plan: Decision[], session: PackageSession, context: RunContext): Promise<Pruned> {
  const deleted: Decision[] = [];
  let current = session;
  for (const item of plan) {
    try {
      await current.api.deleteVersion(current.id, item.version.id);
    } catch (error) {
      const refused = isApiRefusal(error);
      const why = refused
        ? explainApiRefusal(error, { ...current.candidate, id: current.id, need: 'delete' }, context).join(
            '\n',
          )
        : errorMessage(error);
      const next = refused && deleted.length === 0 ? await nextDeleter(current, context) : undefined;
      if (next) {
        core.warning(fallbackWarning(why), { title: 'Packages API credentials' });
        current = next;
        try {
          await current.api.deleteVersion(current.id, item.version.id);
        } catch (again) {
          throw stopped(deleted, plan, item, again, context, current);
        }
      } else {
        throw stopped(deleted, plan, item, error, context, current, why);
      }
    }
    deleted.push(item);
    core.info(`Deleted ${describe(item)}.`);
  }
  return { deleted, session: current };
}

function stopped(
  deleted: Decision[],
  plan: Decision[],
  item: Decision,
  error: unknown,
  context: RunContext,
  session: PackageSession,
  explained?: string,
): PruneError {
  const why =
    explained ??
    (isApiRefusal(error)
      ? explainApiRefusal(error, { ...session.candidate, id: session.id, need: 'delete' }, context).join('\n')
      : errorMessage(error));
  const done = deleted.length
    ? `${deleted.length} version(s) were deleted before it: ${deleted.map(describe).join('; ')}.`
    : 'Nothing was deleted.';
  return new PruneError(
    `Deleting ${describe(item)} failed; ${plan.length - deleted.length} planned deletion(s) not done. ${done}\n${why}`,
    'fix the cause above and run again: the next run plans from what is left (every kept tag is intact, as referrers were deleted before what they refer to).',
    deleted,
    error,
  );
}
