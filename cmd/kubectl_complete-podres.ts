#!/usr/bin/env node
// kubectl's plugin completion helper: on `kubectl podres …<TAB>` kubectl (1.26+) runs
// `kubectl_complete-podres <args…> <partial>` from the PATH and reads the candidates from stdout
// (src/cli/complete.ts).

import { run } from '../src/cli/run.js';
import { exitWith, processIo } from './process-io.js';

exitWith(run(['__complete', ...process.argv.slice(2)], processIo()));
