// Retention against a running server's SQLite storage (services/archive-retention.ts, the code
// `chatctl mam purge` and the daily job share): exactly the messages older than N days go, a dry
// run changes nothing, and a purge running while a client sends loses none of the new messages.
import assert from "node:assert/strict";
import { test } from "node:test";
import { purgeArchive } from "../../../src/services/archive-retention.js";
import { connect } from "../helpers/client.js";
import { startArchiveTestServer } from "./harness.js";
import { barrier, chat, queryArchive } from "./mam-client.js";

const DAY = 24 * 60 * 60 * 1000;

test("a purge removes exactly the stored messages older than N days, and a dry run removes nothing", async () => {
  const t = await startArchiveTestServer({ flags: { "storage.backend": "sqlite" } });
  try {
    t.addUser("romeo", "montague");
    const storage = t.server.host.storage;
    const archive = storage.archive(t.domain, "archive");
    const now = Date.now();
    // Ages in days; the message body names its age.
    const ages = [120, 91, 90.5, 89.9, 30, 1];
    for (const age of ages) {
      const value = `<message from='juliet@localhost/balcony' to='romeo@localhost' type='chat'><body>age ${age}</body></message>`;
      archive.append("romeo", value, { with: "juliet@localhost/balcony", when: new Date(now - age * DAY) });
    }
    const olderThan = new Date(now - 90 * DAY);

    const dry = await purgeArchive(storage, t.domain, { olderThan, dryRun: true });
    assert.equal(dry.archive.messages, 3);
    assert.equal(archive.count("romeo"), ages.length, "a dry run removes nothing");

    const real = await purgeArchive(storage, t.domain, { olderThan });
    assert.deepEqual(real.archive, dry.archive, "the dry run predicted exactly what went");

    const romeo = await connect({ port: t.port, username: "romeo", password: "montague", resource: "orchard" });
    try {
      const page = await queryArchive(romeo);
      assert.deepEqual(page.bodies, ["age 89.9", "age 30", "age 1"]);
    } finally {
      await romeo.stop();
    }
  } finally {
    await t.stop();
  }
});

test("a purge running while a client keeps sending removes the old messages and none of the new ones", async () => {
  const t = await startArchiveTestServer({ flags: { "storage.backend": "sqlite" } });
  try {
    t.addUser("romeo", "montague");
    t.addUser("juliet", "capulet");
    const storage = t.server.host.storage;
    const archive = storage.archive(t.domain, "archive");
    const old = Date.now() - 400 * DAY;
    storage.transaction(() => {
      for (let i = 0; i < 3000; i++) {
        const value = `<message from='romeo@localhost/orchard' to='juliet@localhost' type='chat'><body>old ${i}</body></message>`;
        archive.append("juliet", value, { with: "romeo@localhost/orchard", when: new Date(old + i * 1000) });
      }
    });

    const romeo = await connect({ port: t.port, username: "romeo", password: "montague", resource: "orchard" });
    const juliet = await connect({ port: t.port, username: "juliet", password: "capulet", resource: "balcony" });
    try {
      let sent = 0;
      let archivedDuringPurge = 0;
      const sends: Promise<void>[] = [];
      // Each batch of the purge hands the event loop back; new messages are sent in between, so
      // the server archives them while the purge is still working through the old ones.
      const purge = await purgeArchive(storage, t.domain, {
        olderThan: new Date(Date.now() - 365 * DAY),
        batchSize: 100,
        stores: ["archive"],
        onBatch: () => {
          archivedDuringPurge = archive.count("romeo");
          for (let k = 0; k < 3; k++) {
            sent++;
            sends.push(romeo.send(chat("juliet@localhost", `new ${sent}`, `new${sent}`)));
          }
        },
      });
      await Promise.all(sends);
      await barrier(romeo);
      await juliet.waitFor((el) => el.is("message") && el.attrs.id === `new${sent}`, "the last new message");

      assert.equal(purge.archive.messages, 3000, "every old message went");
      assert.ok(sent >= 90, `messages were sent during the purge (${sent})`);
      assert.ok(archivedDuringPurge > 0, "the server kept archiving new messages between the purge's batches");
      assert.equal(juliet.received.filter((el) => el.is("message") && el.attrs.id?.startsWith("new")).length, sent, "all delivered");
      assert.equal(archive.count("juliet"), sent, "the recipient's archive holds every new message and no old one");
      assert.equal(archive.count("romeo"), sent, "so does the sender's");
      const page = await queryArchive(juliet, { max: 1, before: "" });
      assert.deepEqual(page.bodies, [`new ${sent}`]);
    } finally {
      await romeo.stop();
      await juliet.stop();
    }
  } finally {
    await t.stop();
  }
});
