// What a checkpoint reader returns: the content, non-fatal findings, and how its checksum fared.
// Shared by the cpu_manager_state and memory_manager_state readers.

export interface CheckpointChecksumResult<Variant> {
  /** `checksum` (legacy versions) or `dataChecksum` (CPU v4, memory v3). */
  readonly field: 'checksum' | 'dataChecksum';
  /** The value in the file (0 when the field is absent, as Go reads it). */
  readonly file: bigint;
  /**
   * `verified`: reproduced exactly; `unverified`: a legacy checksum of 0, which the kubelet's
   * oldest readers accept without checking; `mismatch`: reproduced by no variant.
   */
  readonly status: 'verified' | 'unverified' | 'mismatch';
  /** Ours: the matching value when verified, else the value the writer of this version would store. */
  readonly computed: number;
  /** Legacy checksums: the variant that reproduced the value (or that `computed` used). */
  readonly variant?: Variant | undefined;
}

export interface ParsedCheckpoint<Checkpoint, Variant> {
  readonly checkpoint: Checkpoint;
  readonly warnings: string[];
  readonly checksum: CheckpointChecksumResult<Variant>;
}
