// Loaded with `node --require` into a spawned app on the Nest 11 leg of the app-shape matrix: every
// `require('@nestjs/…')`, from the app, the library or Nest itself, resolves in compat/nest11
// (NestJS 11, CommonJS) instead of the root install (NestJS 12). Nest 11 is CommonJS throughout,
// so CommonJS resolution sees every @nestjs import. A package missing there fails loudly rather
// than falling back to Nest 12. The app prints which versions and directories actually loaded.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const NEST11 = path.join(__dirname, '..', '..', 'compat', 'nest11');
const NEST11_MODULES = path.join(NEST11, 'node_modules') + path.sep;
const resolve = Module._resolveFilename;

Module._resolveFilename = function resolveNest11(request, parent, isMain, options) {
  if (typeof request !== 'string' || !request.startsWith('@nestjs/')) {
    return resolve.call(this, request, parent, isMain, options);
  }
  const file = resolve.call(this, request, parent, isMain, { paths: [NEST11] });
  if (!file.startsWith(NEST11_MODULES)) {
    throw new Error(`nest11-resolver: ${request} resolved outside compat/nest11 (${file}); run npm run test:nest11`);
  }
  return file;
};
