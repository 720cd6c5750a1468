import { describe, expect, it } from '@jest/globals';
import { patInputLine } from '../../../src/workflows/locate.js';

const WORKFLOW = [
  'on: push', // 1
  'jobs:',
  '  one:',
  '    steps:',
  '      - uses: octo-org/ghcr-image-action@v1', // 5
  '        with:',
  '          pat: ${{ secrets.A }}',
  '  two:',
  '    steps:',
  '      - uses: docker/login-action@v3', // 10
  '        with:',
  '          pat: not-this-action',
  '      - uses: octo-org/ghcr-image-action@v1',
  '        with:',
  '          pat: ${{ secrets.B }}', // 15
  '      - id: second',
  '        uses: ./',
  '        with:',
  '          image: o/a',
  '          pat: ${{ secrets.C }}', // 20
].join('\n');

describe('patInputLine', () => {
  it("finds this action's pat: line in the running job, by step id when it has one", () => {
    expect(patInputLine(WORKFLOW, 'one', undefined)).toBe(7);
    expect(patInputLine(WORKFLOW, 'two', '__octo-org_ghcr-image-action')).toBe(15);
    expect(patInputLine(WORKFLOW, 'two', 'second')).toBe(20);
    expect(patInputLine(WORKFLOW, undefined, undefined)).toBe(7);
  });

  it('finds nothing for another job, a job without it, or text that is not YAML', () => {
    expect(patInputLine(WORKFLOW, 'three', undefined)).toBeUndefined();
    expect(patInputLine('jobs:\n  a:\n    steps:\n      - run: echo\n', 'a', undefined)).toBeUndefined();
    expect(patInputLine('jobs: [\n  - a: b', 'a', undefined)).toBeUndefined();
  });
});
