// The `kind` and `apiVersion` check every podres document reader does first (cli.md §4), so that
// another podres document passed in the wrong place is named as such:
// `snap.json: kind "Scenario" is not "Snapshot"; replay scenarios with kubectl podres simulate -f`.

import { InputError } from '../errors.js';
import { DOCUMENT_API_VERSION } from '../schema/common.js';
import { asString, type RawMap } from '../scenario/fields.js';
import type { Where } from '../scenario/where.js';

/** What each podres document is for, as the hint when it is passed where another belongs. */
export const DOCUMENT_USES: Readonly<Record<string, string>> = {
  Scenario: 'replay scenarios with kubectl podres simulate -f',
  Snapshot: 'read snapshots with --snapshot',
  NodeObservation: 'pass node observations with --observation',
};

/**
 * Throws an InputError `<display>: kind "X" is not "<kind>"[; <use of X>]`, or
 * `<display>: apiVersion "v" is not "podres/v1alpha1"; <again>` (`again`: how to make a new one).
 */
export function checkDocumentKind(o: RawMap, w: Where, display: string, kind: string, again: string): void {
  const actual = asString(o.kind, w.child('kind'));
  if (actual !== kind) {
    const hint = DOCUMENT_USES[actual];
    throw new InputError(`${display}: kind "${actual}" is not "${kind}"`, hint === undefined ? {} : { hint });
  }
  const apiVersion = asString(o.apiVersion, w.child('apiVersion'));
  if (apiVersion !== DOCUMENT_API_VERSION) {
    throw new InputError(`${display}: apiVersion "${apiVersion}" is not "${DOCUMENT_API_VERSION}"`, {
      hint: again,
    });
  }
}
