// The terminal paths of the user commands: prompts happen only on a terminal, passwords are typed
// twice, and deletion asks first. run() is called in-process with scripted answers.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { run as addUser } from "../../src/cli/commands/user/add.js";
import { run as delUser } from "../../src/cli/commands/user/del.js";
import { run as listUsers } from "../../src/cli/commands/user/list.js";
import { loadConfig } from "../../src/config/load.js";
import { ChatctlError, UsageError } from "../../src/errors.js";
import { DOMAIN, fakeContext, sandbox, type Sandbox } from "./helpers.js";

describe("user commands on a terminal", () => {
  let box: Sandbox;
  const config = () =>
    Promise.resolve(loadConfig({ configPath: box.configPath, explicit: true, env: box.env, flags: { dataDir: box.dataDir } }));
  const users = async () => {
    const f = fakeContext({ loadConfig: config });
    assert.equal(await listUsers({ json: true }, f.ctx), 0);
    return (JSON.parse(f.stdout.text()) as { users: string[] }).users;
  };

  before(async () => {
    box = await sandbox();
  });
  after(async () => {
    await box.remove();
  });

  test("user add asks for the password twice and creates the account", async () => {
    const f = fakeContext({ isTTY: true, answers: ["pw-1", "pw-1"], loadConfig: config });
    assert.equal(await addUser("erin", {}, f.ctx), 0);
    assert.equal(f.asked.length, 2);
    assert.match(f.asked[0] ?? "", new RegExp(`erin@${DOMAIN}`));
    assert.deepEqual(await users(), ["erin"]);
  });

  test("two different passwords are a usage error and nothing is created", async () => {
    const f = fakeContext({ isTTY: true, answers: ["pw-1", "pw-2"], loadConfig: config });
    await assert.rejects(addUser("frank", {}, f.ctx), (err) => err instanceof UsageError && /differ/.test(err.message));
    assert.deepEqual(await users(), ["erin"]);
  });

  test("adding an existing account fails before asking for a password", async () => {
    const f = fakeContext({ isTTY: true, answers: [], loadConfig: config });
    await assert.rejects(addUser("erin", {}, f.ctx), (err) => err instanceof ChatctlError && err.code === "CHATCTL_E_USER_EXISTS");
    assert.deepEqual(f.asked, []);
  });

  test("user del asks first; declining exits 1 and keeps the account", async () => {
    const f = fakeContext({ isTTY: true, answers: [false], loadConfig: config });
    assert.equal(await delUser("erin", {}, f.ctx), 1);
    assert.match(f.asked[0] ?? "", /Delete erin@example\.test/);
    assert.match(f.stderr.text(), /nothing deleted/);
    assert.deepEqual(await users(), ["erin"]);
  });

  test("user del deletes once confirmed, and --yes skips the question", async () => {
    const add = fakeContext({ isTTY: true, answers: ["pw", "pw"], loadConfig: config });
    assert.equal(await addUser("gina", {}, add.ctx), 0);

    const confirmed = fakeContext({ isTTY: true, answers: [true], loadConfig: config });
    assert.equal(await delUser("erin", {}, confirmed.ctx), 0);
    const forced = fakeContext({ isTTY: true, answers: [], loadConfig: config });
    assert.equal(await delUser("gina", { yes: true }, forced.ctx), 0);
    assert.deepEqual(forced.asked, []);
    assert.deepEqual(await users(), []);
  });
});
