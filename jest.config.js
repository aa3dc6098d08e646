const os = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  // One test file per core (jest's default leaves one core idle): most suites wait on child processes, threads or disk.
  maxWorkers: os.availableParallelism(),
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  testTimeout: 120000,
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
};
