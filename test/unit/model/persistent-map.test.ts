// PersistentMap: every write returns a new map; older versions stay as they were.

import { PersistentMap } from '../../../src/model/persistent-map.js';

describe('PersistentMap', () => {
  it('keeps every version intact across sets, deletes and flattening', () => {
    const versions: PersistentMap<string, number>[] = [PersistentMap.empty()];
    for (let i = 0; i < 100; i++) versions.push(versions[versions.length - 1]!.set(`k${i % 40}`, i));
    const last = versions[versions.length - 1]!;
    expect(last.size).toBe(40);
    expect(last.get('k0')).toBe(80);
    expect(versions[1]!.get('k0')).toBe(0);
    expect(versions[1]!.size).toBe(1);
    const without = last.delete('k0');
    expect(without.has('k0')).toBe(false);
    expect(last.get('k0')).toBe(80);
    expect(without.size).toBe(39);
    expect([...without.keys()]).toHaveLength(39);
  });
});
