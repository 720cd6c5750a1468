import { describe, expect, it } from '@jest/globals';
import { condition, evaluate, expand, type Contexts } from '../../support/expressions.js';

describe('expressions (the evaluator the workflow tests rely on)', () => {
  const contexts: Contexts = {
    inputs: { image: '', attest: true, 'runs-on': 'ubuntu-latest' },
    github: { actor: 'octocat' },
    steps: { image: { outputs: { 'image-id': 'sha256:1' } } },
  };

  it('reads paths, literals and operators as GitHub does', () => {
    expect(evaluate('inputs.image || github.actor', contexts)).toBe('octocat');
    expect(evaluate("inputs.runs-on == 'UBUNTU-latest'", contexts)).toBe(true);
    expect(evaluate('steps.image.outputs.image-id', contexts)).toBe('sha256:1');
    expect(evaluate('steps.nope.outputs.x', contexts)).toBe(null);
    expect(evaluate("!inputs.attest || inputs.image != ''", contexts)).toBe(false);
    expect(evaluate("inputs.attest && 'it''s'", contexts)).toBe("it's");
    expect(expand('${{ inputs.attest }}', contexts)).toBe(true);
    expect(expand('a-${{ github.actor }}-${{ inputs.attest }}', contexts)).toBe('a-octocat-true');
  });

  it('knows fromJSON, toJSON and the status functions; a condition without one also needs success()', () => {
    expect(evaluate(`fromJSON('[{"a":1}]')`, contexts)).toEqual([{ a: 1 }]);
    expect(evaluate('toJSON(fromJSON(\'{"a":true}\'))', contexts)).toBe('{\n  "a": true\n}');
    const failed = { success: false, failure: true };
    expect(condition('inputs.attest', contexts, failed)).toBe(false);
    expect(condition('!cancelled() && inputs.attest', contexts, failed)).toBe(true);
    expect(condition('failure()', contexts, failed)).toBe(true);
    expect(condition(undefined, contexts, failed)).toBe(false);
    expect(() => evaluate('success(1)', contexts)).toThrow('takes 0 argument(s)');
  });

  it('refuses what it does not know rather than guessing', () => {
    expect(() => evaluate("contains(github.actor, 'o')", contexts)).toThrow(
      'function contains() is not supported',
    );
    expect(() => evaluate('matrix.os', contexts)).toThrow("unknown context 'matrix'");
    expect(() => evaluate('inputs.image > 1', contexts)).toThrow('cannot read');
  });
});
