// The memory backend: the SQLite backend's observable semantics without a file. For tests, and
// for `storage.backend: memory` (nothing survives a restart).
import type { Json, StorageBackend } from "../types.js";
import { memoryArchiveStore } from "./archive.js";
import { memoryKeyValueStore, memoryMapStore } from "./keyval.js";
import { MemoryState } from "./state.js";

export interface MemoryStorage extends StorageBackend {
  readonly kind: "memory";
}

export function openMemoryStorage(): MemoryStorage {
  return new MemoryBackend();
}

class MemoryBackend implements MemoryStorage {
  readonly kind = "memory" as const;
  private readonly state = new MemoryState();

  keyval<V extends Json = Json>(host: string, store: string) {
    return memoryKeyValueStore<V>(this.state, host, store);
  }

  map<V extends Json = Json>(host: string, store: string) {
    return memoryMapStore<V>(this.state, host, store);
  }

  archive(host: string, store: string) {
    return memoryArchiveStore(this.state, host, store);
  }

  deleteUser(host: string, user: string): void {
    this.state.transaction(() => {
      const stores = this.state.storesOf(host);
      for (const store of stores.kv) this.state.kvDeleteUser(host, store, user);
      for (const store of stores.archive) this.state.archiveReplace(host, store, user, []);
    });
  }

  transaction<T>(fn: () => T): T {
    return this.state.transaction(fn);
  }

  close(): void {
    this.state.close();
  }
}
