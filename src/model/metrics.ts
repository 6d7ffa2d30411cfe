// The kubelet counters the admissions increment (allocator-model.md §8.2), counted from zero.
// Gauges are derived from the final state instead (see simulate.ts).

export type ResourceName = 'cpu' | 'memory';
export type AllocationSource = 'node' | 'pod';
export type CounterAssignment = 'node_exclusive' | 'pod_exclusive' | 'pod_shared';
export type AlignScope = 'container' | 'pod';
export type AlignBoundary = 'physical_cpu' | 'uncore_cache' | 'numa_node';

export interface Counters {
  readonly cpuPinningRequests: number;
  readonly cpuPinningErrors: number;
  readonly memoryPinningRequests: number;
  readonly memoryPinningErrors: number;
  readonly tmAdmissionRequests: number;
  readonly tmAdmissionErrors: number;
  /** `${resource}/${source}` */
  readonly allocations: Readonly<Record<string, number>>;
  readonly allocationErrors: Readonly<Record<string, number>>;
  /** `${resource}/${assignment}` */
  readonly assignments: Readonly<Record<string, number>>;
  /** `${scope}/${boundary}` */
  readonly aligned: Readonly<Record<string, number>>;
  readonly alignedFailures: Readonly<Record<string, number>>;
}

export const ZERO_COUNTERS: Counters = {
  cpuPinningRequests: 0,
  cpuPinningErrors: 0,
  memoryPinningRequests: 0,
  memoryPinningErrors: 0,
  tmAdmissionRequests: 0,
  tmAdmissionErrors: 0,
  allocations: {},
  allocationErrors: {},
  assignments: {},
  aligned: {},
  alignedFailures: {},
};

/** Mutable tally used while one pod is admitted; `done()` gives the new immutable counters. */
export class CounterTally {
  private c: {
    -readonly [K in keyof Counters]: Counters[K] extends number ? number : Record<string, number>;
  };

  constructor(start: Counters) {
    this.c = {
      ...start,
      allocations: { ...start.allocations },
      allocationErrors: { ...start.allocationErrors },
      assignments: { ...start.assignments },
      aligned: { ...start.aligned },
      alignedFailures: { ...start.alignedFailures },
    };
  }

  private static bump(rec: Record<string, number>, key: string): void {
    rec[key] = (rec[key] ?? 0) + 1;
  }

  cpuPinningRequest(): void {
    this.c.cpuPinningRequests++;
  }
  cpuPinningError(): void {
    this.c.cpuPinningErrors++;
  }
  memoryPinningRequest(): void {
    this.c.memoryPinningRequests++;
  }
  memoryPinningError(): void {
    this.c.memoryPinningErrors++;
  }
  tmAdmissionRequest(): void {
    this.c.tmAdmissionRequests++;
  }
  tmAdmissionError(): void {
    this.c.tmAdmissionErrors++;
  }
  allocation(resource: ResourceName, source: AllocationSource): void {
    CounterTally.bump(this.c.allocations, `${resource}/${source}`);
  }
  allocationError(resource: ResourceName, source: AllocationSource): void {
    CounterTally.bump(this.c.allocationErrors, `${resource}/${source}`);
  }
  assignment(resource: ResourceName, type: CounterAssignment): void {
    CounterTally.bump(this.c.assignments, `${resource}/${type}`);
  }
  aligned(scope: AlignScope, boundary: AlignBoundary): void {
    CounterTally.bump(this.c.aligned, `${scope}/${boundary}`);
  }
  alignedFailure(scope: AlignScope, boundary: AlignBoundary): void {
    CounterTally.bump(this.c.alignedFailures, `${scope}/${boundary}`);
  }

  done(): Counters {
    return this.c;
  }
}
