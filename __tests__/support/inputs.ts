import type { Inputs } from '../../src/inputs/index.js';

/** The inputs a step gets with nothing set (action.yml's defaults), with `overrides` on top. */
export function inputsFor(overrides: Partial<Inputs> = {}): Inputs {
  return {
    command: 'publish',
    registry: 'ghcr.io',
    githubToken: '',
    username: '',
    pat: '',
    password: '',
    logout: true,
    image: '',
    source: '',
    tags: [],
    context: '.',
    file: '',
    target: '',
    buildArgs: [],
    labels: [],
    platforms: [],
    builder: 'auto',
    push: 'auto',
    latest: 'auto',
    cache: true,
    noCache: false,
    pull: false,
    destination: '',
    platform: '',
    workflows: '.github/workflows',
    write: false,
    secrets: [],
    secretFiles: [],
    secretEnvs: [],
    ssh: [],
    network: 'default',
    ...overrides,
  };
}
