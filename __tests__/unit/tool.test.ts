import { describe, expect, it, jest } from '@jest/globals';
import { ActionError } from '../../src/errors.js';
import { mustRunTool, runTool, tail } from '../../src/tool.js';

// Real programs of the machine (sh, cat): the argv goes to the program as given, never through a shell.
describe('runTool', () => {
  it('returns the exit code and output, and never throws on a non-zero exit', async () => {
    const ran = await runTool('sh', ['-c', 'echo out; echo err >&2; exit 3'], { silent: true });
    expect(ran).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('is undefined when the program is not installed', async () => {
    await expect(runTool('no-such-tool-ghcr-image-action', [], { silent: true })).resolves.toBeUndefined();
  });

  it('feeds stdin, adds env on top of the process env, and passes argv untouched', async () => {
    const ran = await runTool(
      'sh',
      ['-c', 'cat; printf "%s|%s|%s" "$EXTRA" "$1" "${PATH:+path}"', 'sh', '$HOME; x'],
      {
        input: 'secret-on-stdin\n',
        env: { EXTRA: 'extra' },
        silent: true,
      },
    );
    expect(ran?.stdout).toBe('secret-on-stdin\nextra|$HOME; x|path');
  });
});

describe("a tool's output cannot act on the runner", () => {
  it('stops workflow commands with a one-time token while a tool prints, and resumes them after', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const printed = await runTool('sh', ['-c', 'echo "::add-mask::owned"'])
      // Read the calls before restoring: mockRestore clears them.
      .then(() => write.mock.calls.map(([chunk]) => String(chunk)).join(''))
      .finally(() => write.mockRestore());
    const stop = /::stop-commands::([0-9a-f-]{36})\n/.exec(printed);
    expect(stop).not.toBeNull();
    const token = stop?.[1] ?? '';
    expect(printed.indexOf(`::stop-commands::${token}`)).toBeLessThan(printed.indexOf('::add-mask::owned'));
    expect(printed.indexOf(`::${token}::`)).toBeGreaterThan(printed.indexOf('::add-mask::owned'));
  });

  it('needs no such token when the output is not printed (silent)', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const printed = await runTool('sh', ['-c', 'echo quiet'], { silent: true })
      .then(() => write.mock.calls.map(([chunk]) => String(chunk)).join(''))
      .finally(() => write.mockRestore());
    expect(printed).toBe('');
  });
});

describe('mustRunTool', () => {
  it('fails with what failed, the exit code, the last lines and the fix', async () => {
    const run = mustRunTool('sh', ['-c', 'echo one; echo two; exit 2'], 'the step', 'do the fix.', {
      silent: true,
    });
    await expect(run).rejects.toThrow(ActionError);
    await expect(run).rejects.toThrow('the step failed (exit 2):\none\ntwo\nFix: do the fix.');
  });

  it('says when the tool is not installed', async () => {
    await expect(
      mustRunTool('no-such-tool-ghcr-image-action', [], 'the step', 'install it.'),
    ).rejects.toThrow("the step: 'no-such-tool-ghcr-image-action' is not installed on this runner.");
  });
});

describe('tail', () => {
  it('keeps the last lines of stdout then stderr', () => {
    expect(tail({ code: 1, stdout: 'a\nb\nc', stderr: 'd\ne' }, 2)).toBe('d\ne');
    expect(tail({ code: 1, stdout: 'a\n', stderr: '' })).toBe('a');
  });
});
