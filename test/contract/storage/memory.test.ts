// The storage contract against the memory backend.
import { openMemoryStorage } from "../../../src/storage/memory/index.js";
import { runStoreContract } from "./store.contract.js";

runStoreContract("memory", () => openMemoryStorage());
