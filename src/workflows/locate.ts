/** The line of a workflow that passes this action's `pat:` input, for the run-time migration warning. */
import { jobsOf } from './model.js';
import { lineAt, pairOf, mapOf, parseWorkflow } from './parse.js';
import { isThisAction } from './steps.js';
import type { Node } from 'yaml';

/**
 * The `pat:` line of this action's step in job `job` (the step whose id is `stepId` when there is one, else
 * the first with a `pat:`); undefined when the text is not YAML or no such step is found.
 */
export function patInputLine(
  text: string,
  job: string | undefined,
  stepId: string | undefined,
): number | undefined {
  const parsed = parseWorkflow(text);
  if (!('workflow' in parsed)) return undefined;
  const { workflow } = parsed;
  const jobs = jobsOf(workflow).filter((j) => !job || j.id === job);
  const candidates = jobs.flatMap((j) =>
    j.steps.flatMap((step) => {
      const pat = pairOf(mapOf(workflow.doc, pairOf(step.map, 'with')?.value), 'pat');
      const at = (pat?.key as Node | undefined)?.range?.[0];
      return isThisAction(step.uses) && at !== undefined ? [{ id: step.id, line: lineAt(workflow, at) }] : [];
    }),
  );
  return (candidates.find((c) => stepId && c.id === stepId) ?? candidates[0])?.line;
}
