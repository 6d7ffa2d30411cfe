#!/usr/bin/env node
// Entry point of kubectl-podres (run as `kubectl podres …` or on its own).

import { run } from '../src/cli/run.js';
import { exitWith, processIo } from './process-io.js';
import { onProcessSignal } from './process-signals.js';

exitWith(run(process.argv.slice(2), processIo(), { onSignal: onProcessSignal }));
