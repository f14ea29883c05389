/**
 * better-sqlite3, loaded when the SQLite store opens, and refused where it would crash: before
 * 13 its statements are `node::ObjectWrap`s, and from Node 24.19 one garbage collected outside
 * JavaScript aborts the process (`RemoveEnvironmentCleanupHook` assertion,
 * WiseLibs/better-sqlite3#1515). Better a clear line at start than a process that dies later.
 * @module
 */
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { optionalPackage } from '../optional-package.js';

const require = createRequire(import.meta.url);

/** Why this better-sqlite3 cannot run on this Node, or undefined when it can. */
export function driverProblem(driverVersion: string, nodeVersion: string): string | undefined {
  const [driverMajor = 0] = driverVersion.split('.').map(Number);
  const [nodeMajor = 0, nodeMinor = 0] = nodeVersion.split('.').map(Number);
  const abortsOnCollect = nodeMajor > 24 || (nodeMajor === 24 && nodeMinor >= 19);
  if (abortsOnCollect && driverMajor < 13) {
    return `paysg-checkout: better-sqlite3 ${driverVersion} aborts on Node ${nodeVersion} (WiseLibs/better-sqlite3#1515); install 13 or later: npm install better-sqlite3@13`;
  }
  return undefined;
}

export function loadSqliteDriver(): typeof Database {
  const driver = optionalPackage<typeof Database>('better-sqlite3', 'the SQLite store');
  const { version } = require('better-sqlite3/package.json') as { version: string };
  const problem = driverProblem(version, process.versions.node);
  if (problem) throw new Error(problem);
  return driver;
}
