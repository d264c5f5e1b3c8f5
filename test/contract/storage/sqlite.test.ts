// The storage contract against the SQLite backend, each test on a fresh file in a temp directory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { openSqliteStorage } from "../../../src/storage/sqlite/index.js";
import { runStoreContract } from "./store.contract.js";

const dir = mkdtempSync(join(tmpdir(), "chatctl-storage-contract-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
runStoreContract("sqlite", () => openSqliteStorage(join(dir, `db-${++files}.sqlite`)));
