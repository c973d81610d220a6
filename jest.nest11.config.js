// @ts-check
// The same suite against NestJS 11 (CommonJS), installed in compat/nest11 by `npm run test:nest11`.
const base = require('./jest.config.js');
/** @type {import('jest').Config} */
module.exports = {
  ...base,
  moduleNameMapper: {
    '^@nestjs/(common|core|testing)(/.*)?$': '<rootDir>/compat/nest11/node_modules/@nestjs/$1$2',
  },
  // Real-process tests run the built sample on the root install (Nest 12); the Nest 11 process
  // leg is covered by the packed-package smoke tests, and by the app-shape matrix, whose spawned
  // apps load Nest 11 from compat/nest11 (test/helpers/nest11-resolver.cjs) on this leg.
  testPathIgnorePatterns: ['/test/process/(?!app-shapes)', '/test/reliability/process/'],
  transformIgnorePatterns: ['/node_modules/'], // NestJS 11 is already CommonJS
  globals: { __NEST_MAJOR__: '11' },
};
