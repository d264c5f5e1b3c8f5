// Both backends keep a keyval store as a map store with one empty key per user, so the
// adapter is shared rather than written per backend.
import type { Json, KeyValueStore, MapStore } from "./types.js";

/** The map key under which a keyval store keeps its one value per user. */
export const KEYVAL_KEY = "";

export function keyValueOverMap<V extends Json>(map: MapStore<V>): KeyValueStore<V> {
  return {
    get: (user) => map.get(user, KEYVAL_KEY),
    set: (user, value) => map.set(user, KEYVAL_KEY, value),
    users: () => map.users(),
  };
}
