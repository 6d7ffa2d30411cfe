// The registry of drift checks (cli.md §7.2): one entry per D code, in code order. analyzeNode runs
// every entry whose code is selected and whose prerequisites hold (coverage.ts).

import type { DriftCheck } from '../context.js';
import { d1 } from './d01-exclusive-runs-shared.js';
import { d2 } from './d02-shared-has-slice.js';
import { d3 } from './d03-exclusive-overlap.js';
import { d4 } from './d04-exclusive-in-shared.js';
import { d5 } from './d05-numa.js';
import { d6 } from './d06-pod-shared-pool.js';
import { d7 } from './d07-outside-pod-pool.js';
import { d8 } from './d08-pod-pool-presence.js';
import { d9 } from './d09-behaviour-contradicts-config.js';
import { d10 } from './d10-admission-errors.js';
import { d11 } from './d11-counters-below-admissions.js';
import { d12 } from './d12-cfs.js';
import { d13 } from './d13-shared-pool.js';
import { d14 } from './d14-partial-core.js';
import { d15 } from './d15-uncore-spread.js';
import { d16 } from './d16-memory-accounting.js';
import { d17 } from './d17-checkpoint-format.js';
import { d18 } from './d18-stale-state.js';
import { d19 } from './d19-quirk-q1.js';
import { d20 } from './d20-podresources-semantics.js';

export const DRIFT_CHECKS: readonly DriftCheck[] = [
  d1,
  d2,
  d3,
  d4,
  d5,
  d6,
  d7,
  d8,
  d9,
  d10,
  d11,
  d12,
  d13,
  d14,
  d15,
  d16,
  d17,
  d18,
  d19,
  d20,
];
