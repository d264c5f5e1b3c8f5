// Creates benchmark accounts in a chatctl database directly through the library (the same code
// path as `chatctl user add`, without starting a process per user):
//   node dist/bench/adapters/chatctl-users.js <config.yml> <prefix> <count> <password>
// Accounts are <prefix>0 … <prefix><count-1>, written in batches of one transaction each.
import { InternalAuthProvider, type AccountRecord } from "../../src/auth/internal.js";
import { loadConfig } from "../../src/config/load.js";
import { openStorage } from "../../src/storage/open.js";

const BATCH = 500;

function main(argv: string[]): number {
  const [configPath, prefix, countText, password] = argv;
  const count = Number(countText);
  if (!configPath || !prefix || !password || !Number.isInteger(count) || count < 1) {
    console.error("usage: chatctl-users.js <config.yml> <prefix> <count> <password>");
    return 2;
  }
  const config = loadConfig({ configPath, explicit: true });
  const storage = openStorage(config);
  try {
    const accounts = storage.keyval<AccountRecord>(config.domain, "accounts");
    const auth = new InternalAuthProvider(accounts, {
      iterations: config.auth.scramIterations,
      groups: storage.map<true>(config.domain, "groups"),
    });
    let created = 0;
    for (let start = 0; start < count; start += BATCH) {
      storage.transaction(() => {
        for (let i = start; i < Math.min(count, start + BATCH); i++) {
          const user = `${prefix}${i}`;
          if (auth.userExists(user)) continue;
          auth.createUser(user, password);
          created++;
        }
      });
    }
    console.log(JSON.stringify({ created, total: auth.listUsers().length }));
    return 0;
  } finally {
    storage.close();
  }
}

process.exitCode = main(process.argv.slice(2));
