// The JavaScript SignalR client (JSON and MessagePack) and a raw wschat WebSocket client in one
// room of a running hub. The xunit suite starts the hub and runs this file with WSCHAT_URL set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { HubConnectionBuilder, LogLevel } from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";
import WebSocket from "ws";

const base = process.env.WSCHAT_URL;
const TIMEOUT_MS = 10_000;
const ROOM = `js-room-${process.pid}`;

/** Queues every message a client receives, as {type, ...payload}, and awaits them in order. */
class Inbox {
  #items = [];
  #waiters = [];
  push(message) {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(message); else this.#items.push(message);
  }
  next(type) {
    const got = this.#items.length > 0
      ? Promise.resolve(this.#items.shift())
      : new Promise((resolve) => this.#waiters.push(resolve));
    return withTimeout(got, `waiting for ${type ?? "a message"}`).then((m) => {
      if (type) assert.equal(m.type, type, `expected ${type}, got ${JSON.stringify(m)}`);
      return m;
    });
  }
  async nextOf(type, match = () => true) {
    for (;;) {
      const m = await this.next();
      if (m.type === type && match(m)) return m;
    }
  }
}

function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timeout ${what}`)), TIMEOUT_MS); }),
  ]).finally(() => clearTimeout(timer));
}

const METHODS = ["setuserid", "hello", "event", "danmu", "text", "login", "logout", "userlist", "sendto", "error"];

async function signalr(protocol) {
  const builder = new HubConnectionBuilder().withUrl(`${base}/hub`).configureLogging(LogLevel.Warning);
  if (protocol === "messagepack") builder.withHubProtocol(new MessagePackHubProtocol());
  const connection = builder.build();
  const inbox = new Inbox();
  for (const method of METHODS) connection.on(method, (payload) => inbox.push({ type: method, ...payload }));
  await withTimeout(connection.start(), `connecting ${protocol}`);
  const { uid } = await inbox.next("setuserid");
  return {
    name: protocol, inbox, uid,
    send: (type, payload) => payload === undefined ? connection.invoke(type) : connection.invoke(type, payload),
    close: () => connection.stop(),
  };
}

async function raw() {
  const socket = new WebSocket(base.replace(/^http/, "ws") + "/");
  const inbox = new Inbox();
  socket.on("message", (data, isBinary) => {
    assert.equal(isBinary, false);
    inbox.push(JSON.parse(data.toString("utf8")));
  });
  await withTimeout(new Promise((resolve, reject) => { socket.once("open", resolve); socket.once("error", reject); }), "connecting raw");
  const { uid } = await inbox.next("setuserid");
  return {
    name: "raw", inbox, uid,
    send: async (type, payload) => socket.send(JSON.stringify({ type, ...payload })),
    close: () => socket.close(),
  };
}

let clients;

before(async () => {
  assert.ok(base, "WSCHAT_URL must point at a running hub");
  clients = [await raw(), await signalr("json"), await signalr("messagepack")];
  // Join one by one; each joiner and everyone already there sees the joinroom with the new count.
  for (let i = 0; i < clients.length; i++) {
    await clients[i].send("join", { room: ROOM });
    for (let j = 0; j <= i; j++) {
      const event = await clients[j].inbox.nextOf("event");
      assert.equal(event.event, "joinroom");
      assert.equal(event.uid, clients[i].uid);
      assert.equal(event.userscount, i + 1);
      assert.equal(typeof event.uid, "number");
    }
  }
});

after(async () => {
  for (const client of clients ?? []) await client.close();
});

test("uids are distinct numbers on every protocol", () => {
  const uids = clients.map((c) => c.uid);
  for (const uid of uids) assert.ok(Number.isSafeInteger(uid) && uid > 0);
  assert.equal(new Set(uids).size, uids.length);
});

test("danmu from each kind of client reaches all three with a string uid", async () => {
  for (const sender of clients) {
    const text = `弹幕 from ${sender.name} 😀`;
    await sender.send("danmu", { text });
    for (const receiver of clients) {
      const danmu = await receiver.inbox.nextOf("danmu");
      assert.deepEqual(danmu, { type: "danmu", text, uid: String(sender.uid), avatar: "", username: "" });
    }
  }
});

test("login is announced to the room and carries into text", async () => {
  const [rawClient, json, msgpack] = clients;
  await msgpack.send("login", { uname: "用户1", avatar: "https://a/1.png", loginid: "uid1", info: "简介" });
  assert.deepEqual(await msgpack.inbox.nextOf("login"), { type: "login", result: "success" });
  for (const receiver of clients) {
    const event = await receiver.inbox.nextOf("event", (e) => e.event === "login");
    assert.equal(event.uid, msgpack.uid);
    assert.equal(event.username, "用户1");
    assert.equal(typeof event.time, "number");
    assert.equal(event.loginedcount, 1);
    assert.equal(event.userscount, 3);
  }

  await msgpack.send("text", { text: "我要聊天" });
  for (const receiver of [rawClient, json]) {
    const text = await receiver.inbox.nextOf("text");
    assert.equal(text.uid, String(msgpack.uid));
    assert.equal(text.userid, "uid1");
    assert.equal(text.username, "用户1");
    assert.equal(text.userinfo, "简介");
  }

  await json.send("userlist");
  const list = await json.inbox.nextOf("userlist");
  assert.equal(list.count, 1);
  assert.equal(list.users[0].uid, String(msgpack.uid));
  assert.equal(typeof list.users[0].time, "string");
});

test("sendto goes from a JavaScript client to a raw client only", async () => {
  const [rawClient, json, msgpack] = clients;
  await json.send("sendto", { text: "私密消息", touids: [String(rawClient.uid)] });
  const message = await rawClient.inbox.nextOf("sendto");
  assert.equal(message.text, "私密消息");
  assert.equal(message.uid, String(json.uid));

  await rawClient.send("sendto", { text: "回复", touids: String(msgpack.uid) });
  const reply = await msgpack.inbox.nextOf("sendto");
  assert.equal(reply.uid, String(rawClient.uid));
});

test("a bad request gets an error message on SignalR too", async () => {
  const [, json] = clients;
  await json.send("setbadwords", "禁词=好词\r\n");
  const error = await json.inbox.nextOf("error");
  assert.equal(error.code, 4003);
});
