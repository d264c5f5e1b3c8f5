// The SQLite backend's public surface.
export { openSqliteStorage, BUSY_TIMEOUT_MS } from "./storage.js";
export type { SqliteStorage, SqliteOpenOptions, CheckpointMode, CheckpointResult } from "./storage.js";
export { MIGRATIONS, SCHEMA_VERSION, SchemaOutdatedError, SchemaTooNewError } from "./migrations.js";
export type { Migration } from "./migrations.js";
