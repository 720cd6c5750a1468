import { describe, expect, it } from '@jest/globals';
import { evaluate, expand, type Contexts } from '../../support/expressions.js';

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

  it('refuses what it does not know rather than guessing', () => {
    expect(() => evaluate("contains(github.actor, 'o')", contexts)).toThrow(
      'function contains() is not supported',
    );
    expect(() => evaluate('matrix.os', contexts)).toThrow("unknown context 'matrix'");
    expect(() => evaluate('inputs.image > 1', contexts)).toThrow('cannot read');
  });
});
