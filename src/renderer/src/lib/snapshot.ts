import { base64ToBytes, decodeArrays, type NamedArray } from '../../../shared/codec';
import type { SnapshotData } from '../../../shared/lab-api';

/** The arrays of a position snapshot (pos.l, z.l, gap.l, inhib.l), decoded from its base64 blob. */
export function decodeSnapshot(data: SnapshotData): NamedArray[] {
  return decodeArrays(base64ToBytes(data.blob)).arrays;
}
