/**
 * Unit tests sit beside the code (`*.spec.ts`); end-to-end tests against the real server (`*.e2e-spec.ts`)
 * and browser tests in Debian's Chromium (`*.browser-spec.ts`) live in `test/`.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps/api/src', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.browser-spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: {
    '^@pressroom/protocol$': '<rootDir>/libs/protocol/src/index.ts',
    '^@pressroom/live-client$': '<rootDir>/libs/live-client/src/index.ts',
  },
  testTimeout: 30_000,
  reporters: ['default'],
};
