// The hub's browser pages (/demo/ and /admin/) in Debian's Chromium, driven by playwright-core (no
// browser download). The xunit suite starts the hub and runs this file with WSCHAT_URL set, and
// WSCHAT_API_KEY a key the hub's HTTP API accepts (for the admin console).
// With WSCHAT_SCREENSHOT_DIR set, the pages' screenshots are written there (tools/update-screenshots.sh).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { chromium } from "playwright-core";
import WebSocket from "ws";

const base = process.env.WSCHAT_URL;
const apiKey = process.env.WSCHAT_API_KEY;
const screenshotDir = process.env.WSCHAT_SCREENSHOT_DIR;
// Generous: the machines running these share their cores with much else (a wait ends as soon as its element shows).
const TIMEOUT_MS = 30_000;
const ROOM = `browser-room-${process.pid}`;
// A 1x1 PNG: an avatar that is a picture.
const PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

// The flags Chromium needs on these machines: no sandbox as root, no GPU, and no background
// connections (the closed network refuses them). Playwright gives it a fresh profile directory.
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let browser;
const pages = {};
// Every page opened, for the check that none had a script error or broke the content security policy.
const watched = [];

/** Records the page's script errors and what the content security policy blocked (Chromium logs each). */
function watch(page) {
  page.setDefaultTimeout(TIMEOUT_MS);
  page.problems = [];
  page.on("pageerror", (error) => page.problems.push(error.message));
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) page.problems.push(message.text());
  });
  watched.push(page);
  return page;
}

/** Notes, in the page, when it sent each raw wschat message: window.sent[type] holds the times (SignalR frames are not JSON alone). */
function noteSentMessages() {
  window.sent = {};
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    try {
      const { type } = JSON.parse(data);
      if (typeof type === "string") (window.sent[type] ??= []).push(performance.now());
    } catch {
      // Not a raw wschat message.
    }
    return send.call(this, data);
  };
}

async function openDemo(transport, name, viewport = { width: 1280, height: 720 }, room = ROOM) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(noteSentMessages);
  const page = watch(await context.newPage());
  await page.goto(`${base}/demo/?room=${encodeURIComponent(room)}&transport=${transport}`);
  await page.locator('#status[data-state="connected"]').waitFor();
  if (name) {
    await page.fill("#uname", name);
    await page.click("#login");
    await page.locator("#logout").waitFor({ state: "visible" });
  }
  page.uid = await page.locator("#uid").textContent();
  return page;
}

/** A legacy player in the room: a raw WebSocket that joins and logs in as name, once its login is confirmed. */
async function legacyMember(room, name, avatar = "") {
  const socket = new WebSocket(`${base.replace(/^http/, "ws")}/`);
  const loggedIn = new Promise((resolve, reject) => {
    socket.on("message", (data) => { if (JSON.parse(data.toString("utf8")).type === "login") resolve(); });
    socket.once("error", reject);
  });
  socket.once("open", () => {
    socket.send(JSON.stringify({ type: "join", room }));
    socket.send(JSON.stringify({ type: "login", uname: name, avatar, loginid: name, info: "" }));
  });
  await loggedIn;
  return socket;
}

async function expectText(locator, text) {
  await locator.filter({ hasText: text }).first().waitFor();
}

/** A counter showing exactly this number (hasText alone would take "12" for "2"). */
async function expectCount(locator, count) {
  await locator.filter({ hasText: new RegExp(`^${count}$`) }).first().waitFor();
}

async function send(page, text, kind = "danmu") {
  await page.fill("#message", text);
  await page.click(kind === "danmu" ? "#send-danmu" : "#send-text");
}

/** A console page; standIn, when given, answers its /api requests in place of the server. */
async function openAdmin(standIn) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  if (standIn) await context.route("**/api/**", standIn);
  const page = watch(await context.newPage());
  await page.goto(`${base}/admin/`);
  return page;
}

async function submitKey(page, key) {
  await page.fill("#api-key", key);
  await page.click("#key-form button[type=submit]");
}

/** A key the server refuses: the console says so, shows nothing else and keeps no key. */
async function refuseKey(page, said) {
  await submitKey(page, "not-the-key");
  await expectText(page.locator("#key-error"), said);
  assert.equal(await page.locator("#console").isVisible(), false);
  assert.equal(await page.evaluate(() => sessionStorage.getItem("wschat-api-key")), null);
}

/** Fills a console field, submits its form, and waits for the console to report the action. */
async function act(page, field, value, form, reported) {
  await page.fill(field, value);
  await page.click(`${form} button[type=submit]`);
  await expectText(page.locator("#actions-log li"), reported);
}

async function screenshot(page, name) {
  if (screenshotDir) await page.screenshot({ path: path.join(screenshotDir, name) });
}

before(async () => {
  assert.ok(base, "WSCHAT_URL must point at a running hub");
  assert.ok(apiKey, "WSCHAT_API_KEY must be a key of the hub's Wschat:ApiKeys");
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  pages.raw = await openDemo("raw", "Alice");
  pages.signalr = await openDemo("json", "小明");
});

after(async () => {
  for (const page of watched) assert.deepEqual(page.problems, [], "no script errors and nothing the content security policy blocked");
  await browser?.close();
});

test("a raw wschat page and a SignalR page in one room count each other", async () => {
  for (const page of [pages.raw, pages.signalr]) {
    await expectCount(page.locator("#viewers"), 2);
    await expectCount(page.locator("#logined"), 2);
    await expectText(page.locator("#users li"), "Alice");
    await expectText(page.locator("#users li"), "小明");
  }
  await expectText(pages.raw.locator("#newest"), "小明");
});

test("danmu from each page flies across the overlay of both", async () => {
  for (const [sender, text] of [[pages.raw, "raw 弹幕 says hi 😀"], [pages.signalr, "signalr 弹幕 says hi"]]) {
    await send(sender, text);
    for (const page of [pages.raw, pages.signalr]) {
      const flying = page.locator("#danmaku-layer .danmaku", { hasText: text });
      await flying.waitFor();
      assert.equal(await flying.evaluate((e) => e.classList.contains("mine")), page === sender);
    }
  }
});

test("chat text and a private message reach the other page", async () => {
  await send(pages.raw, "chat from Alice", "text");
  await expectText(pages.signalr.locator("#log li"), "Alice: chat from Alice");

  await pages.signalr.fill("#pm-to", pages.raw.uid);
  await pages.signalr.fill("#pm-text", "just for you");
  await pages.signalr.click("#pm-form button[type=submit]");
  await expectText(pages.raw.locator("#log li.private"), "小明 → you: just for you");
});

test("danmaku in flight never overlap, and pause while hovered", async () => {
  const texts = ["short", "a somewhat longer comment", "更长的一条弹幕, 飞得更快一些", "x", "medium length one", "最后一条"];
  for (const text of texts) await send(pages.raw, text);
  const layer = pages.signalr.locator("#danmaku-layer");
  await expectText(layer.locator(".danmaku"), "最后一条");

  // Watch every frame for a second: no two comments' boxes may intersect.
  const overlaps = await pages.signalr.evaluate(() => new Promise((resolve) => {
    const found = [];
    const end = performance.now() + 1000;
    function frame() {
      const boxes = [...document.querySelectorAll("#danmaku-layer .danmaku")].map((e) => [e.textContent, e.getBoundingClientRect()]);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, ra] = boxes[i];
          const [b, rb] = boxes[j];
          if (ra.left < rb.right && rb.left < ra.right && ra.top < rb.bottom && rb.top < ra.bottom) found.push(`${a} / ${b}`);
        }
      }
      if (performance.now() < end) requestAnimationFrame(frame); else resolve(found);
    }
    requestAnimationFrame(frame);
  }));
  assert.deepEqual(overlaps, []);
  await screenshot(pages.signalr, "demo.png");

  const hovered = layer.locator(".danmaku", { hasText: "最后一条" });
  await hovered.hover({ force: true });
  const states = () => hovered.evaluate((e) => e.getAnimations().map((a) => a.playState));
  assert.deepEqual(await states(), ["paused"], "the hovered comment is paused");
  await pages.signalr.mouse.move(0, 0);
  assert.deepEqual(await states(), ["running"], "it moves on when the pointer leaves");
});

test("a danmu longer than the server allows is refused with the server's message, shown in the page", async () => {
  pages.third = await openDemo("msgpack");
  await expectCount(pages.third.locator("#viewers"), 3);
  await send(pages.third, "长".repeat(1001));
  await expectText(pages.third.locator("#errors .error"), "text must be 1 to 1000 characters");
  await expectText(pages.third.locator("#log li"), "4002");
});

test("on a phone-sized screen the page fits the width and still sends", async () => {
  pages.phone = await openDemo("raw", "Phone", { width: 390, height: 844 });
  const overflow = await pages.phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await send(pages.phone, "from a phone");
  await pages.phone.locator("#danmaku-layer .danmaku", { hasText: "from a phone" }).waitFor();
  if (screenshotDir) {
    // For the picture: once the comment is well inside the player.
    await pages.phone.waitForFunction(() => [...document.querySelectorAll("#danmaku-layer .danmaku")]
      .some((e) => e.textContent === "from a phone" && e.getBoundingClientRect().right < window.innerWidth * 0.8));
    await screenshot(pages.phone, "demo-phone.png");
  }
});

test("the admin console refuses a wrong key plainly, then lists the room, tails it and moderates it", async () => {
  const page = await openAdmin();
  assert.equal(await page.locator("#console").isVisible(), false);
  await refuseKey(page, "wrong API key");
  await submitKey(page, apiKey);
  await page.locator("#console").waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem("wschat-api-key")), apiKey);
  await expectText(page.locator("#nodes"), "Healthy");
  await expectText(page.locator("#nodes"), "this page's): alive");

  // Four demo pages are in the room (raw, SignalR, the third and the phone); three logged in.
  const row = page.locator("#rooms tr", { hasText: ROOM });
  await expectCount(row.locator("td.users"), 4);
  await expectCount(row.locator("td.logined"), 3);

  // Opening the room joins it with the console's tail: five viewers now.
  await row.locator("button.open").click();
  await expectText(page.locator("#room-counts"), "5 viewers, 3 logged in");
  for (const name of ["Alice", "小明", "Phone"]) await expectText(page.locator("#room-users li"), name);

  await act(page, "#publish-text", "announcement from the console", "#publish-form", "published a danmu");
  for (const demo of [pages.raw, pages.signalr]) {
    await demo.locator("#danmaku-layer .danmaku", { hasText: "announcement from the console" }).waitFor();
  }
  await expectText(page.locator("#tail li"), "admin: announcement from the console");

  await page.fill("#mute-seconds", "60");
  await act(page, "#mute-uid", pages.raw.uid, "#mute-form", `muted ${pages.raw.uid}`);
  await send(pages.raw, "am I muted?");
  await expectText(pages.raw.locator("#errors .error"), "you are muted in this room (4030");

  await page.click("#silence");
  await expectText(page.locator("#actions-log li"), "silenced");
  await send(pages.signalr, "anyone there?");
  await expectText(pages.signalr.locator("#errors .error"), "this room is silenced (4031");
  await page.click("#unsilence");
  await expectText(page.locator("#actions-log li"), "let everyone post");
  await send(pages.signalr, "back again");
  await pages.raw.locator("#danmaku-layer .danmaku", { hasText: "back again" }).waitFor();

  await act(page, "#badwords", "坏词=好词", "#badwords-form", "saved the prohibited-word list");
  await send(pages.signalr, "这是坏词");
  await pages.raw.locator("#danmaku-layer .danmaku", { hasText: "这是好词" }).waitFor();
  await screenshot(page, "admin.png");

  await act(page, "#kick-uid", pages.third.uid, "#kick-form", `kicked ${pages.third.uid}`);
  await expectText(pages.third.locator("#errors .error"), "you were removed from the room (4032");
  await pages.third.locator('#status[data-state="closed"]').waitFor();
  assert.equal(await page.locator("#actions-log li.failed").count(), 0);
  await page.context().close();
});

test("switching the room and the way in rejoins there, logged in as before", async () => {
  const page = pages.phone;
  const other = `${ROOM}-2`;
  await page.fill("#room", other);
  await page.selectOption("#transport", "msgpack");
  await page.click("#room-form button[type=submit]");
  await expectText(page.locator('#status[data-state="connected"]'), "SignalR (MessagePack)");
  await expectCount(page.locator("#viewers"), 1);
  await expectCount(page.locator("#logined"), 1);
  await expectText(page.locator("#users li"), "Phone");
  const url = new URL(page.url());
  assert.deepEqual([url.searchParams.get("room"), url.searchParams.get("transport")], [other, "msgpack"]);

  // The first room saw it go: the raw and SignalR pages remain (the third was kicked, the console has closed).
  await expectCount(pages.raw.locator("#viewers"), 2);
  await send(page, "alone in the new room");
  await page.locator("#danmaku-layer .danmaku", { hasText: "alone in the new room" }).waitFor();
});

test("a burst of comings and goings asks for the user list once every few seconds, and not while it is closed", async () => {
  const room = `${ROOM}-burst`;
  const page = await openDemo("raw", "Watcher", undefined, room);
  const userlists = () => page.evaluate(() => window.sent.userlist ?? []);
  const listShows = (names) => page.waitForFunction((expected) =>
    [...document.querySelectorAll("#users li span:not(.uid)")].map((e) => e.textContent).sort().join(",") === expected, [...names].sort().join(","));
  // Members' events may arrive out of order (and the counters with them): the log's "… left" lines count what arrived.
  const departures = () => page.locator("#log li", { hasText: / left$/ }).count();
  const comeAndGo = async (names, whileHere = async () => {}) => {
    const gone = await departures();
    const members = await Promise.all(names.map((name) => legacyMember(room, name)));
    await whileHere();
    for (const member of members) member.close();
    await page.waitForFunction(([selector, expected]) => [...document.querySelectorAll(selector)].filter((li) => li.textContent.endsWith(" left")).length === expected,
      ["#log li", gone + names.length]);
  };
  await listShows(["Watcher"]);

  // 8 players come, log in and go: 24 events, each of which was a request of its own.
  const players = Array.from({ length: 8 }, (_, i) => `player-${i}`);
  await comeAndGo(players, () => listShows(["Watcher", ...players]));
  await listShows(["Watcher"]);
  const asked = await userlists();
  const gaps = asked.slice(1).map((t, i) => t - asked[i]);
  assert.ok(gaps.every((gap) => gap >= 2900), `${asked.length} userlist requests, the closest ${Math.round(Math.min(...gaps))} ms apart`);

  // Closed, the list is not asked for; opened again, it is asked for once.
  await page.evaluate(() => { document.getElementById("users-panel").open = false; });
  await comeAndGo(Array.from({ length: 8 }, (_, i) => `unseen-${i}`));
  assert.equal((await userlists()).length, asked.length, "no request while the list is closed");
  await page.evaluate(() => { document.getElementById("users-panel").open = true; });
  await page.waitForFunction((n) => window.sent.userlist.length > n, asked.length);
  await listShows(["Watcher"]);
  assert.equal((await userlists()).length, asked.length + 1);
  await page.context().close();
});

test("the user list draws only https: and data: image avatars, under the page's content security policy", async () => {
  const room = `${ROOM}-avatars`;
  const page = await openDemo("raw", undefined, undefined, room);
  await page.context().route("https://img.example/**", (route) => route.fulfill({ contentType: "image/png", body: Buffer.from(PIXEL_PNG, "base64") }));
  const avatars = {
    script: "javascript:alert(1)",
    plain: "http://198.51.100.1/avatar.png",
    secure: "https://img.example/avatar.png",
    inline: `data:image/png;base64,${PIXEL_PNG}`,
  };
  const members = await Promise.all(Object.entries(avatars).map(([name, avatar]) => legacyMember(room, name, avatar)));
  for (const name of Object.keys(avatars)) await expectText(page.locator("#users li"), name);

  const drawn = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll("#users li")]
    .map((li) => [li.querySelector("span").textContent, li.querySelector("img").getAttribute("src")])));
  assert.equal(drawn.secure, avatars.secure);
  assert.equal(drawn.inline, avatars.inline);
  for (const name of ["script", "plain"]) assert.match(drawn[name], /^data:image\/svg\+xml;base64,/, `${name}'s avatar is the page's own`);

  // The policy is in force: where a page does load a picture from plain http:, it is blocked
  // (in a page of its own: the pages above must break no rule).
  const probe = await (await browser.newContext()).newPage();
  await probe.goto(`${base}/admin/`);
  const blocked = await probe.evaluate(() => new Promise((resolve) => {
    document.addEventListener("securitypolicyviolation", (e) => resolve(e.effectiveDirective), { once: true });
    document.body.append(Object.assign(new Image(), { src: "http://198.51.100.1/tracker.png" }));
  }));
  assert.equal(blocked, "img-src");
  await probe.context().close();
  for (const member of members) member.close();
  await page.context().close();
});
