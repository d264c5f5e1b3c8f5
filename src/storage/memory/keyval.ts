// keyval and map stores held in MemoryState. Like the SQLite backend, a keyval store is a map
// store whose only key is the empty string, and values round-trip through JSON text: set() keeps
// no reference to the caller's object and get() returns a fresh copy.
import { keyValueOverMap } from "../keyval-over-map.js";
import type { Json, KeyValueStore, MapStore } from "../types.js";
import { sortedKeys, type MemoryState } from "./state.js";


class MemoryMapStore<V extends Json> implements MapStore<V> {
  constructor(
    private readonly state: MemoryState,
    private readonly host: string,
    private readonly store: string,
  ) {}

  get(user: string, key: string): V | undefined {
    const json = this.state.kvUser(this.host, this.store, user)?.get(key);
    return json === undefined ? undefined : (JSON.parse(json) as V);
  }

  set(user: string, key: string, value: V | undefined): void {
    this.state.kvPut(this.host, this.store, user, key, value === undefined ? undefined : JSON.stringify(value));
  }

  getAll(user: string): Map<string, V> {
    const values = this.state.kvUser(this.host, this.store, user);
    const keys = sortedKeys(values); // the byte order of SQLite's ORDER BY key
    return new Map(keys.map((k) => [k, JSON.parse(values!.get(k)!) as V]));
  }

  setMany(user: string, entries: Iterable<[string, V | undefined]>): void {
    this.state.transaction(() => {
      for (const [key, value] of entries) this.set(user, key, value);
    });
  }

  deleteUser(user: string): void {
    this.state.kvDeleteUser(this.host, this.store, user);
  }

  users(): string[] {
    return this.state.kvUsers(this.host, this.store);
  }
}

export function memoryMapStore<V extends Json>(state: MemoryState, host: string, store: string): MapStore<V> {
  return new MemoryMapStore<V>(state, host, store);
}

export function memoryKeyValueStore<V extends Json>(state: MemoryState, host: string, store: string): KeyValueStore<V> {
  return keyValueOverMap(new MemoryMapStore<V>(state, host, store));
}
