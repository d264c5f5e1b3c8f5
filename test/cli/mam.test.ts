// `chatctl mam …` end to end: the real binary on a temp SQLite database filled in-process with
// messages at chosen timestamps, then the database opened again to check what is really left.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/types.js";
import { archiveTotals } from "../../src/services/archive-retention.js";
import { effectiveRetentionDays } from "../../src/services/retention-policy.js";
import { openStorage } from "../../src/storage/open.js";
import { DOMAIN, sandbox, type Sandbox } from "./helpers.js";

const DAY = 24 * 60 * 60 * 1000;

function configOf(box: Sandbox): Config {
  return loadConfig({ configPath: box.configPath, explicit: true, env: box.env, flags: { dataDir: box.dataDir } });
}

function stanza(n: number): string {
  return `<message xmlns="jabber:client" type="chat"><body>message ${n}</body></message>`;
}

/** Appends messages aged `ages` days (one each) to `user`'s archive (or another store). */
function fill(box: Sandbox, user: string, ages: number[], store = "archive"): void {
  const storage = openStorage(configOf(box));
  try {
    const archive = storage.archive(DOMAIN, store);
    storage.transaction(() => {
      ages.forEach((age, i) => archive.append(user, stanza(i), { when: new Date(Date.now() - age * DAY), with: `peer@${DOMAIN}` }));
    });
  } finally {
    storage.close();
  }
}

/** The `when` ages (in whole days, rounded) of what is left in a user's store. */
function remainingAges(box: Sandbox, user: string, store = "archive"): number[] {
  const storage = openStorage(configOf(box), { readonly: true });
  try {
    return storage
      .archive(DOMAIN, store)
      .find(user)
      .map((item) => Math.round((Date.now() - item.when.getTime()) / DAY))
      .sort((a, b) => a - b);
  } finally {
    storage.close();
  }
}

interface PurgeJson {
  domain: string;
  dryRun: boolean;
  olderThanDays: number;
  olderThan: string;
  daysFrom: string;
  user: string | null;
  archive: { messages: number; bytes: number };
  offline: { messages: number; bytes: number };
  disk: { beforeBytes: number; afterBytes: number; freedBytes: number; checkpointBusy: boolean } | null;
}

describe("chatctl mam", () => {
  let box: Sandbox;
  beforeEach(async () => {
    box = await sandbox();
  });
  afterEach(async () => {
    await box.remove();
  });

  test("purge --older-than removes exactly the messages older than N days, archive and offline counted apart", async () => {
    fill(box, "alice", [1, 5, 29, 31, 40, 100]);
    fill(box, "bob", [2, 45]);
    fill(box, "bob", [3, 60], "offline");
    const r = await box.run(["mam", "purge", "--older-than", "30", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as PurgeJson;
    assert.equal(report.archive.messages, 4);
    assert.equal(report.offline.messages, 1);
    assert.equal(report.archive.bytes, 4 * Buffer.byteLength(stanza(0)));
    assert.equal(report.dryRun, false);
    assert.equal(report.olderThanDays, 30);
    assert.equal(report.daysFrom, "option");
    assert.deepEqual(remainingAges(box, "alice"), [1, 5, 29]);
    assert.deepEqual(remainingAges(box, "bob"), [2]);
    assert.deepEqual(remainingAges(box, "bob", "offline"), [3]);
  });

  test("purge --json has the documented shape, with the database size before and after", async () => {
    fill(box, "alice", Array.from({ length: 50 }, () => 90));
    const r = await box.run(["mam", "purge", "--older-than", "7", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as PurgeJson;
    assert.deepEqual(Object.keys(report).sort(), ["archive", "daysFrom", "disk", "domain", "dryRun", "offline", "olderThan", "olderThanDays", "rooms", "user"]);
    assert.equal(report.domain, DOMAIN);
    assert.equal(report.user, null);
    assert.ok(!Number.isNaN(Date.parse(report.olderThan)));
    assert.ok(report.disk);
    assert.equal(typeof report.disk.beforeBytes, "number");
    assert.equal(report.disk.freedBytes, Math.max(0, report.disk.beforeBytes - report.disk.afterBytes));
    assert.equal(report.archive.messages, 50);
  });

  test("purge --dry-run counts what would go and removes nothing", async () => {
    fill(box, "alice", [1, 10, 20]);
    const r = await box.run(["mam", "purge", "--older-than", "5", "--dry-run", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as PurgeJson;
    assert.equal(report.dryRun, true);
    assert.equal(report.archive.messages, 2);
    assert.equal(report.disk, null);
    assert.deepEqual(remainingAges(box, "alice"), [1, 10, 20]);
  });

  test("purge --user removes only that account's old messages", async () => {
    fill(box, "alice", [10, 50]);
    fill(box, "bob", [10, 50]);
    const r = await box.run(["mam", "purge", "--older-than", "30", "--user", `alice@${DOMAIN}`, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as PurgeJson).user, `alice@${DOMAIN}`);
    assert.deepEqual(remainingAges(box, "alice"), [10]);
    assert.deepEqual(remainingAges(box, "bob"), [10, 50]);
  });

  test("human purge output names the removed counts and has no colour when not on a terminal", async () => {
    fill(box, "alice", [40]);
    const r = await box.run(["mam", "purge", "--older-than", "30"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /archive: removed 1 messages/);
    assert.match(r.stdout, /offline: removed 0 messages/);
    assert.doesNotMatch(r.stdout + r.stderr, /\x1b\[/);
  });

  test("retention --days persists in the database, is shown, and is what purge and the server use", async () => {
    const set = await box.run(["mam", "retention", "--days", "20", "--json"]);
    assert.equal(set.code, 0, set.stderr);
    const shown = await box.run(["mam", "retention", "--json"]);
    assert.equal(shown.code, 0, shown.stderr);
    const policy = JSON.parse(shown.stdout) as { retentionDays: number; source: string; configRetentionDays: number; changed: boolean };
    assert.equal(policy.retentionDays, 20);
    assert.equal(policy.source, "database");
    assert.equal(policy.configRetentionDays, 0);
    assert.equal(policy.changed, false);
    const human = await box.run(["mam", "retention"]);
    assert.match(human.stdout, /retention: 20 days/);

    // The server's daily run reads the same value.
    const storage = openStorage(configOf(box), { readonly: true });
    try {
      assert.equal(effectiveRetentionDays(storage, DOMAIN, configOf(box)), 20);
    } finally {
      storage.close();
    }

    fill(box, "alice", [10, 25]);
    const purge = await box.run(["mam", "purge", "--json"]);
    assert.equal(purge.code, 0, purge.stderr);
    const report = JSON.parse(purge.stdout) as PurgeJson;
    assert.equal(report.daysFrom, "database");
    assert.equal(report.olderThanDays, 20);
    assert.deepEqual(remainingAges(box, "alice"), [10]);
  });

  test("retention --reset makes the configuration's mam.retentionDays apply again", async () => {
    await box.writeConfig(`domain: ${DOMAIN}\nstorage:\n  backend: sqlite\nlog:\n  level: warn\nmam:\n  retentionDays: 45\n`);
    assert.equal((await box.run(["mam", "retention", "--days", "3"])).code, 0);
    const reset = await box.run(["mam", "retention", "--reset", "--json"]);
    assert.equal(reset.code, 0, reset.stderr);
    const policy = JSON.parse(reset.stdout) as { retentionDays: number; source: string; override: unknown };
    assert.deepEqual([policy.retentionDays, policy.source, policy.override], [45, "config", null]);
  });

  test("stats reports message counts, the oldest and newest dates, the size against the cap and the largest archives", async () => {
    fill(box, "alice", [1, 2, 3]);
    fill(box, "bob", [10]);
    fill(box, "carol", [4], "offline");
    const r = await box.run(["mam", "stats", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const stats = JSON.parse(r.stdout) as {
      archive: { messages: number; bytes: number; users: number; oldest: string; newest: string };
      offline: { messages: number };
      storage: { usedBytes: number; maxStorageBytes: number; percentOfCap: number };
      topUsers: { user: string; messages: number }[];
    };
    assert.equal(stats.archive.messages, 4);
    assert.equal(stats.archive.users, 2);
    assert.equal(stats.offline.messages, 1);
    assert.equal(Math.round((Date.now() - Date.parse(stats.archive.oldest)) / DAY), 10);
    assert.equal(Math.round((Date.now() - Date.parse(stats.archive.newest)) / DAY), 1);
    assert.equal(stats.storage.maxStorageBytes, 2 * 1024 ** 3);
    assert.ok(stats.storage.usedBytes > 0);
    assert.equal(typeof stats.storage.percentOfCap, "number");
    assert.deepEqual(stats.topUsers.map((u) => [u.user, u.messages]), [[`alice@${DOMAIN}`, 3], [`bob@${DOMAIN}`, 1]]);
    const human = await box.run(["mam", "stats"]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /archive: +4 messages of 2 users/);
  });

  test("a purge while another purge holds the lock exits 1 naming that purge's pid, and removes nothing", async () => {
    fill(box, "alice", [40]);
    const lock = join(box.dataDir, "mam-purge.lock");
    await writeFile(lock, `${process.pid}\n`);
    const r = await box.run(["mam", "purge", "--older-than", "30"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`another purge \\(pid ${process.pid}\\) is running`));
    assert.deepEqual(remainingAges(box, "alice"), [40]);
  });

  test("a lock left by a purge whose process is gone is taken over, and released afterwards", async () => {
    fill(box, "alice", [40]);
    const lock = join(box.dataDir, "mam-purge.lock");
    // PIDs above the kernel's pid_max (at most 2^22) never belong to a live process.
    await writeFile(lock, "99999999\n");
    const r = await box.run(["mam", "purge", "--older-than", "30", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as PurgeJson).archive.messages, 1);
    assert.equal(existsSync(lock), false, "the lock is removed when the purge ends");
    const again = await box.run(["mam", "purge", "--older-than", "30"]);
    assert.equal(again.code, 0, again.stderr);
  });

  test("usage errors exit 2: negative or non-numeric days, and no --older-than without a policy", async () => {
    fill(box, "alice", [40]);
    for (const args of [["--older-than=-5"], ["--older-than", "soon"], ["--older-than", "0"]]) {
      const r = await box.run(["mam", "purge", ...args]);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    }
    const bad = await box.run(["mam", "retention", "--days", "-1"]);
    assert.equal(bad.code, 2);
    const noPolicy = await box.run(["mam", "purge"]);
    assert.equal(noPolicy.code, 2);
    assert.match(noPolicy.stderr, /no --older-than given and no retention policy/);
    assert.match(noPolicy.stderr, /chatctl mam retention --days/);
    const totals = await (async () => {
      const storage = openStorage(configOf(box), { readonly: true });
      try {
        return await archiveTotals(storage, DOMAIN);
      } finally {
        storage.close();
      }
    })();
    assert.equal(totals.messages, 1);
  });
});
