// Two projects: unit tests (one module each, mocks allowed) and integration tests (the real local stack).
const ts = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
};

export default {
  // A global option (a project's own testTimeout is not read): integration tests run real builds and retries.
  testTimeout: 120000,
  projects: [
    { ...ts, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    {
      ...ts,
      displayName: 'integration',
      testMatch: ['<rootDir>/__tests__/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
      globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
    },
    // Hostile input, hostile registries, faults and secrets against the bundle and the stand-in (npm run
    // test:adversarial runs these alone); the reporter prints the closing line.
    {
      ...ts,
      displayName: 'adversarial',
      testMatch: ['<rootDir>/__tests__/adversarial/**/*.test.ts'],
      globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
      globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
    },
  ],
  reporters: ['default', '<rootDir>/__tests__/adversarial/reporter.mjs'],
};
