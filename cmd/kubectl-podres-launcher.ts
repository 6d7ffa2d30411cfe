#!/usr/bin/env node
// The npm package's kubectl-podres (bundled as CommonJS by scripts/build.js): runs the fast
// command lines (`version`, `completion SHELL`, shell completion) itself, and imports the whole
// program, an ES module bundle that runs on import, for everything else. A CommonJS file this
// small starts faster than any ES module graph, and `version` and <TAB> are what people time.

import { runFastPath } from '../src/cli/fast-path.js';
import { exitWith, processIo } from './process-io.js';

/** The ES module bundle of cmd/kubectl-podres.ts, next to this file once built. */
const PROGRAM = './kubectl-podres.mjs';

const fast = runFastPath(process.argv.slice(2), processIo());
if (fast === undefined) void import(PROGRAM);
else exitWith(fast);
