// A jest reporter that prints the adversarial suite's closing line from the outcomes its tests recorded
// (outcomes.ts), e.g. `adversarial: 72 bad inputs, 72 clear errors, 0 side effects; 11 hostile registries,
// 0 leaks, 0 escapes; 16 faults, 0 corrupt tags`. It prints nothing when no adversarial test ran.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default class AdversarialReporter {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'adversarial-'));
    // Set before the workers start, so every test writes to this run's file.
    process.env.ADVERSARIAL_OUTCOMES = join(this.dir, 'outcomes.jsonl');
  }

  onRunComplete() {
    const file = process.env.ADVERSARIAL_OUTCOMES;
    const lines = file && existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    rmSync(this.dir, { recursive: true, force: true });
    if (lines.length === 0) return;
    const all = lines.map((line) => JSON.parse(line));
    const of = (suite) => all.filter((o) => o.suite === suite);
    const sum = (items, key) => items.reduce((n, o) => n + (o[key] ?? 0), 0);
    const [bad, hostile, faults] = [of('bad-input'), of('hostile'), of('fault')];
    process.stdout.write(
      `\nadversarial: ${bad.length} bad inputs, ${bad.filter((o) => o.clearError).length} clear errors, ` +
        `${sum(bad, 'sideEffects')} side effects; ${hostile.length} hostile registries, ${sum(hostile, 'leaks')} leaks, ` +
        `${sum(hostile, 'escapes')} escapes; ${faults.length} faults, ${sum(faults, 'corruptTags')} corrupt tags\n`,
    );
  }
}
