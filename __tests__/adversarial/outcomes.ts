import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

/**
 * What each adversarial case found, one JSON line per case, for the closing line the reporter prints
 * (reporter.mjs). The tests assert the same facts; this only counts them.
 */
export type Outcome =
  | { suite: 'bad-input'; name: string; clearError: boolean; sideEffects: number }
  | { suite: 'hostile'; name: string; leaks: number; escapes: number }
  | { suite: 'fault'; name: string; survived: boolean; corruptTags: number };

/** The file the outcomes go to: ADVERSARIAL_OUTCOMES (set by the reporter for the run), else a temp file. */
export function outcomesFile(): string {
  return process.env.ADVERSARIAL_OUTCOMES || join(tmpdir(), 'ghcr-image-action-adversarial.jsonl');
}

export function recordOutcome(outcome: Outcome): void {
  appendFileSync(outcomesFile(), `${JSON.stringify(outcome)}\n`);
}
