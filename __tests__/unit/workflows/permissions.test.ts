import { describe, expect, it } from '@jest/globals';
import { jobsOf, workflowMap } from '../../../src/workflows/model.js';
import { parseWorkflow, type Workflow } from '../../../src/workflows/parse.js';
import { granted, permissionsEdits, satisfies, type Need } from '../../../src/workflows/permissions.js';
import { applyEdits } from '../../../src/workflows/rewrite.js';

function workflow(text: string): Workflow {
  const parsed = parseWorkflow(text);
  if (!('workflow' in parsed)) throw new Error(parsed.problem.message);
  return parsed.workflow;
}

/** The job `build` of `text` after its permissions edit, or undefined when there is none to make. */
function fixed(text: string, need: Need = 'write'): string | undefined {
  const w = workflow(text);
  const job = jobsOf(w).find((j) => j.id === 'build');
  if (!job) throw new Error('no job build');
  const edits = permissionsEdits(w, job, workflowMap(w), need);
  return edits && applyEdits(text, edits);
}

const JOB = 'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: []\n';

describe('granted', () => {
  it('reads the job block, else the workflow block, else the repository default', () => {
    const at = (text: string) => {
      const w = workflow(text);
      const job = jobsOf(w)[0];
      if (!job) throw new Error('no job');
      return granted(w, job, workflowMap(w));
    };
    expect(at(JOB)).toEqual({ packages: 'none', from: 'default', line: 2 });
    expect(at(`permissions: write-all\n${JOB}`)).toMatchObject({ packages: 'write', from: 'workflow' });
    expect(at(`permissions: { packages: read }\n${JOB}`)).toMatchObject({
      packages: 'read',
      from: 'workflow',
    });
    expect(at('jobs:\n  build:\n    permissions:\n      packages: write\n')).toEqual({
      packages: 'write',
      from: 'job',
      line: 3,
    });
    expect(at('permissions: write-all\njobs:\n  build:\n    permissions: {}\n')).toMatchObject({
      packages: 'none',
      from: 'job',
    });
  });

  it('satisfies read with read or write, write with write only', () => {
    expect([
      satisfies('read', 'read'),
      satisfies('write', 'read'),
      satisfies('read', 'write'),
      satisfies('none', 'read'),
    ]).toEqual([true, true, false, false]);
  });
});

describe('permissionsEdits', () => {
  it('adds a block under the job key when there is none anywhere', () => {
    expect(fixed(JOB)).toBe(
      'jobs:\n  build:\n    permissions:\n      contents: read\n      packages: write\n    runs-on: ubuntu-latest\n    steps: []\n',
    );
  });

  it("copies the workflow's entries into the new job block, so the job loses none of them", () => {
    const text = `permissions:\n  id-token: write\n  contents: write\n${JOB}`;
    expect(fixed(text)).toContain(
      '  build:\n    permissions:\n      id-token: write\n      contents: write\n      packages: write\n    runs-on',
    );
  });

  it('merges into the job block: packages raised, contents added, comments and order kept', () => {
    const text =
      'jobs:\n  build:\n    permissions:\n      # least privilege\n      packages: none # was none\n      issues: write\n';
    expect(fixed(text)).toBe(
      'jobs:\n  build:\n    permissions:\n      # least privilege\n      contents: read\n      packages: write # was none\n      issues: write\n',
    );
    expect(fixed('jobs:\n  build:\n    permissions:\n      packages: write\n      contents: read\n')).toBe(
      'jobs:\n  build:\n    permissions:\n      packages: write\n      contents: read\n',
    );
    expect(fixed('jobs:\n  build:\n    permissions:\n      packages: read\n', 'read')).toBe(
      'jobs:\n  build:\n    permissions:\n      contents: read\n      packages: read\n',
    );
  });

  it('rewrites a flow block whole, and leaves read-all, an empty value and flow jobs to a human', () => {
    expect(fixed('jobs:\n  build:\n    permissions: { issues: read }\n')).toBe(
      'jobs:\n  build:\n    permissions: { contents: read, issues: read, packages: write }\n',
    );
    expect(fixed('jobs:\n  build:\n    permissions: {}\n')).toBe(
      'jobs:\n  build:\n    permissions: { contents: read, packages: write }\n',
    );
    expect(fixed('jobs:\n  build:\n    permissions: read-all\n')).toBeUndefined();
    expect(fixed(`permissions: read-all\n${JOB}`)).toBeUndefined();
    expect(fixed('jobs:\n  build:\n    permissions:\n')).toBeUndefined();
    expect(fixed('jobs:\n  build: { runs-on: x }\n')).toBeUndefined();
    expect(fixed(`permissions: write-all\n${JOB}`)).toBe(`permissions: write-all\n${JOB}`);
  });
});
