/**
 * Checks the widget's Lit templates with lit-analyzer: unknown elements, attributes and
 * properties, and bindings whose types do not fit (`npm run lint`).
 *
 * lit-analyzer reads templates through TypeScript's JavaScript API, which TypeScript 7 (this
 * project's compiler) no longer has. It does not declare TypeScript as a dependency; it requires
 * whichever `typescript` it finds, here 7, and fails at once. Its own dependency
 * web-component-analyzer brings TypeScript 5.2, so `typescript` is resolved to that copy for the
 * analyzer alone. The project still compiles with 7; this only parses templates.
 */
'use strict';
const Module = require('node:module');
const path = require('node:path');

// The package's main module is lib/cjs/api.js; its node_modules sits three levels up.
const analyzerDir = path.resolve(require.resolve('web-component-analyzer'), '../../..');
const typescript5 = require.resolve('typescript', { paths: [analyzerDir] });
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveTypescript5(request, ...rest) {
  return resolve.call(this, request === 'typescript' ? typescript5 : request, ...rest);
};

process.argv.splice(2, 0, 'widget/**/*.ts', '--strict', '--maxWarnings', '0');
require('lit-analyzer/cli.js');
