import { describe, expect, it } from '@jest/globals';
import { dockerMode, modeEnv, type DockerFacts } from '../../../src/build/docker-mode.js';

const DEBIAN: DockerFacts = {
  buildx: false,
  client: '20.10.24+dfsg1',
  server: '20.10.24+dfsg1',
  os: 'linux',
  override: undefined,
};

describe('dockerMode', () => {
  it("Debian's CLI 20.10 without buildx and a Linux daemon: BuildKit with DOCKER_BUILDKIT=1", () => {
    const mode = dockerMode(DEBIAN);
    expect(mode).toEqual({
      buildkit: true,
      why: 'the docker CLI 20.10.24+dfsg1 has no buildx plugin, and the daemon (20.10.24+dfsg1, linux) has BuildKit built in (DOCKER_BUILDKIT=1)',
    });
    expect(modeEnv(mode)).toEqual({ DOCKER_BUILDKIT: '1' });
  });

  it('the buildx plugin: BuildKit, whatever the versions', () => {
    const mode = dockerMode({ ...DEBIAN, buildx: true, client: '28.2.2', server: '17.06.0' });
    expect(mode).toEqual({ buildkit: true, why: 'the docker CLI has the buildx plugin', buildx: true });
    // Through buildx, the docker driver's builder: a container builder (setup-buildx-action) never loads images.
    expect(modeEnv(mode)).toEqual({ DOCKER_BUILDKIT: '1', BUILDX_BUILDER: 'default' });
  });

  it('a CLI of 23 or later without buildx: classic (DOCKER_BUILDKIT=1 would fail there)', () => {
    const mode = dockerMode({ ...DEBIAN, client: '28.2.2' });
    expect(mode).toEqual({
      buildkit: false,
      why: 'the docker CLI 28.2.2 runs BuildKit only through the buildx plugin, which is not installed',
    });
    expect(modeEnv(mode)).toEqual({ DOCKER_BUILDKIT: '0' });
    expect(dockerMode({ ...DEBIAN, client: '23.0.0' }).buildkit).toBe(false);
    expect(dockerMode({ ...DEBIAN, client: '22.06.0-beta' }).buildkit).toBe(true);
  });

  it.each([
    ['18.06.3-ce', 'linux'],
    ['17.12.0', 'linux'],
    ['20.10.24', 'windows'],
    ['', ''],
  ])('a daemon %p on %p: classic, saying it has no BuildKit', (server, os) => {
    const mode = dockerMode({ ...DEBIAN, server, os });
    expect(mode.buildkit).toBe(false);
    expect(mode.why).toContain('has no BuildKit (it needs a Linux daemon of 18.09 or later)');
  });

  it('18.09 and later are enough', () => {
    expect(dockerMode({ ...DEBIAN, client: '18.09.1', server: '18.09.1' }).buildkit).toBe(true);
    expect(dockerMode({ ...DEBIAN, client: '19.03.0', server: 'v19.03.0' }).buildkit).toBe(true);
  });

  it.each([
    ['0', false],
    ['false', false],
    ['1', true],
    ['TRUE', true],
  ])("DOCKER_BUILDKIT=%s in the step's environment is the user's word", (override, buildkit) => {
    for (const facts of [DEBIAN, { ...DEBIAN, buildx: true }]) {
      const mode = dockerMode({ ...facts, override });
      expect(mode.buildkit).toBe(buildkit);
      expect(mode.why).toBe(`DOCKER_BUILDKIT=${override} is set in the step's environment`);
      expect(mode.problem).toBeUndefined();
    }
  });

  it('DOCKER_BUILDKIT=1 on a CLI of 23 or later without buildx: a problem, said before any build', () => {
    const mode = dockerMode({ ...DEBIAN, client: '28.2.2', override: '1' });
    expect(mode.problem).toBe(
      "DOCKER_BUILDKIT=1 is set in the step's environment, but the docker CLI 28.2.2 runs BuildKit only through the buildx plugin, which is not installed",
    );
    expect(dockerMode({ ...DEBIAN, client: '28.2.2', override: '0' }).problem).toBeUndefined();
  });

  it('an override that is neither on nor off is ignored', () => {
    expect(dockerMode({ ...DEBIAN, override: 'auto' })).toEqual(dockerMode(DEBIAN));
  });
});
