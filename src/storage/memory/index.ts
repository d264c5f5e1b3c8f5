// The memory backend's public surface.
export { openMemoryStorage } from "./storage.js";
export type { MemoryStorage } from "./storage.js";
