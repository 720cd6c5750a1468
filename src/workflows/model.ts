/** The parts of a workflow migrate reads: jobs, their steps, and the env each step sees. */
import type { Document, Pair, YAMLMap } from 'yaml';
import type { EnvLookup } from './expressions.js';
import { mapOf, pairOf, seqOf, textOf, type Workflow } from './parse.js';

export interface StepView {
  map: YAMLMap;
  uses: string;
  id: string;
  env: EnvLookup;
}

export interface JobView {
  id: string;
  /** The job's pair in `jobs:` (key position, and its map). */
  pair: Pair;
  map: YAMLMap;
  steps: StepView[];
}

function envOf(doc: Document, maps: (YAMLMap | undefined)[]): EnvLookup {
  return (name) => {
    for (const map of maps) {
      const env = mapOf(doc, pairOf(map, 'env')?.value);
      const pair = pairOf(env, name);
      if (pair) return textOf(doc, pair.value) ?? '';
    }
    return undefined;
  };
}

export function workflowMap(workflow: Workflow): YAMLMap | undefined {
  return mapOf(workflow.doc, workflow.doc.contents);
}

export function jobsOf(workflow: Workflow): JobView[] {
  const { doc } = workflow;
  const root = workflowMap(workflow);
  const jobs = mapOf(doc, pairOf(root, 'jobs')?.value);
  const views: JobView[] = [];
  for (const pair of (jobs?.items ?? []) as Pair[]) {
    const map = mapOf(doc, pair.value);
    if (!map) continue;
    const steps = (seqOf(doc, pairOf(map, 'steps')?.value)?.items ?? []).flatMap((item) => {
      const step = mapOf(doc, item);
      if (!step) return [];
      return [
        {
          map: step,
          uses: textOf(doc, pairOf(step, 'uses')?.value) ?? '',
          id: textOf(doc, pairOf(step, 'id')?.value) ?? '',
          env: envOf(doc, [step, map, root]),
        },
      ];
    });
    views.push({ id: textOf(doc, pair.key) ?? '', pair, map, steps });
  }
  return views;
}
