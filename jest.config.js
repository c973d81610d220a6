// @ts-check
// Jest runs in CommonJS mode. NestJS 12 ships ESM only and Jest cannot require() ESM on
// Node < 24.9, so @nestjs/* is compiled to CJS by swc (which also rewrites import.meta.url).
const jsc = { target: 'es2022' };
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  reporters: ['default', '<rootDir>/jest/summary-reporter.cjs'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          ...jsc,
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'commonjs' },
      },
    ],
    '^.+\\.js$': ['@swc/jest', { jsc: { ...jsc, parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
  // Real-process tests spend their time waiting on children, not on CPU.
  maxWorkers: 2,
  testTimeout: 20_000,
  globals: { __NEST_MAJOR__: '12' },
};
