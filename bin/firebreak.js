#!/usr/bin/env node
// The `firebreak` command (`npx firebreak` in a clone, `firebreak` once installed with
// `npm install -g`): runs the built CLI, building it first when the build is missing or older
// than its sources, so a fresh clone or a pull needs no build step.
'use strict';
const { existsSync, readdirSync, statSync, utimesSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const main = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');
const sources = join(root, 'apps', 'cli', 'src');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

if (!existsSync(main) || (existsSync(sources) && newestSource(sources) > statSync(main).mtimeMs)) {
  process.stderr.write('firebreak: building the CLI…\n');
  const { spawnSync } = require('node:child_process');
  const tsc = require.resolve('typescript/bin/tsc');
  // tsc's own output goes to stderr: stdout is the command's, which scripts read.
  const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'apps', 'cli', 'tsconfig.build.json')], { stdio: ['ignore', 2, 2] });
  if (build.status !== 0) {
    process.stderr.write('firebreak: the CLI did not build (above); fix it or run npm run build\n');
    process.exit(1);
  }
  // tsc rewrites only the files that changed: mark the build as newer than every source.
  const now = new Date();
  utimesSync(main, now, now);
}

require(main)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
