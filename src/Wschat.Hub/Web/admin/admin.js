// The operator console: with an API key the server accepts, it shows the nodes' health, the rooms
// with their counts, one room's live tail and logged-in users, and acts through the HTTP API.
import { Api, ApiError } from "./api.js";
import { connect } from "../lib/wschat-client.js";
import { element, flash, appendCapped } from "../lib/ui.js";

const $ = (id) => document.getElementById(id);
const KEY_STORAGE = "wschat-api-key";
const REFRESH_MS = 2000;

const state = { api: null, room: null, tail: null, timer: null };

function report(text, failed = false) {
  appendCapped($("actions-log"), element("li", { className: failed ? "failed" : "" }, `${new Date().toLocaleTimeString()} ${text}`));
}

/** Runs an action through the API and says how it went; an error is never only in the console. */
async function act(what, action) {
  try {
    await action();
    report(what);
  } catch (error) {
    report(`${what}: failed, ${error instanceof ApiError ? error.plain : error.message}`, true);
  }
}

async function useKey(key) {
  $("key-error").replaceChildren();
  const api = new Api(key);
  try {
    await api.rooms();
  } catch (error) {
    sessionStorage.removeItem(KEY_STORAGE);
    flash($("key-error"), error instanceof ApiError ? error.plain : `the server could not be reached: ${error.message}`);
    return;
  }

  sessionStorage.setItem(KEY_STORAGE, key);
  state.api = api;
  $("key-panel").hidden = true;
  $("console").hidden = false;
  $("forget-key").hidden = false;
  $("key-state").textContent = "key accepted";
  $("key-state").dataset.state = "connected";
  await Promise.all([refresh(), loadBadWords()]);
  state.timer = setInterval(refresh, REFRESH_MS);
}

async function refresh() {
  await Promise.all([showNodes(), showRooms(), state.room ? showRoom() : null]);
}

// The nodes from their leases (GET /api/nodes), and the health of the node that serves this page.
async function showNodes() {
  let health;
  try {
    health = await (await fetch("/healthz")).json();
  } catch (error) {
    $("nodes").replaceChildren(element("div", { className: "unhealthy" }, `${location.host}: no answer (${error.message})`));
    return;
  }

  const checks = Object.entries(health.checks ?? {}).map(([name, check]) =>
    element("div", {}, `${name}: `, element("span", { className: check.status.toLowerCase() }, check.status), check.description ? ` (${check.description})` : ""));
  let nodes = [];
  try {
    nodes = (await state.api.nodes()).nodes.map((node) => element("div", { className: "node" },
      `node ${node.node}${node.thisNode ? ` (${location.host}, this page's)` : ""}: `,
      element("span", { className: node.alive ? "healthy" : "unhealthy" }, node.alive ? "alive" : "lease lapsed"),
      node.leaseLeftMs === null ? " (no Redis: one node)" : ` (lease ${(node.leaseLeftMs / 1000).toFixed(1)} s left)`));
  } catch (error) {
    nodes = [element("div", { className: "failed" }, error instanceof ApiError ? error.plain : error.message)];
  }

  $("nodes").replaceChildren(
    element("div", {}, `${location.host}: `, element("span", { className: health.status.toLowerCase() }, health.status)),
    ...checks,
    ...nodes);
}

async function showRooms() {
  let rooms;
  try {
    rooms = await state.api.rooms();
  } catch (error) {
    $("rooms").replaceChildren(element("tr", {}, element("td", { colSpan: 4, className: "failed" }, error instanceof ApiError ? error.plain : error.message)));
    return;
  }

  $("rooms").replaceChildren(...rooms.map((room) => element("tr", { className: room.room === state.room ? "selected" : "" },
    element("td", {}, room.room),
    element("td", { className: "num users" }, String(room.usersCount)),
    element("td", { className: "num logined" }, String(room.loginedCount)),
    element("td", {}, element("button", { type: "button", className: "link open", onclick: () => openRoom(room.room) }, "open")))));
  if (rooms.length === 0) $("rooms").append(element("tr", {}, element("td", { colSpan: 4, className: "hint" }, "no room has members")));
}

async function showRoom() {
  const room = state.room;
  try {
    const detail = await state.api.room(room);
    if (room !== state.room) return;
    $("room-counts").textContent = `${detail.usersCount} viewers, ${detail.loginedCount} logged in`;
    $("room-users").replaceChildren(...detail.users.map((user) => element("li", {},
      user.avatar ? element("img", { src: user.avatar, alt: "" }) : null,
      element("span", {}, user.username || user.userId),
      element("button", { type: "button", className: "link", onclick: () => { $("mute-uid").value = user.uid; $("kick-uid").value = user.uid; } }, "select"),
      element("span", { className: "uid" }, String(user.uid)))));
  } catch (error) {
    $("room-counts").textContent = error instanceof ApiError ? error.plain : error.message;
  }
}

async function openRoom(name) {
  state.room = name;
  $("room-panel").hidden = false;
  $("room-name").textContent = name;
  $("tail").replaceChildren();
  // Counted after the tail joins, so the console's own connection is in the counts it shows.
  await tail(name);
  await Promise.all([showRoom(), showRooms()]);
}

/** The live tail: the console joins the room as a SignalR client and lists what is said there. */
async function tail(room) {
  const line = (kind, text) => appendCapped($("tail"), element("li", {}, element("span", { className: "kind" }, kind), text));
  if (!state.tail) {
    try {
      state.tail = await connect({
        transport: "json",
        onMessage: (m) => {
          if (m.type === "danmu" || m.type === "text") line(m.type, `${m.username || m.uid}: ${m.text}`);
          else if (m.type === "event") line(m.event, `${m.username || m.uid} (${m.userscount} here)`);
          else if (m.type === "error") line("error", `${m.code}: ${m.msg}`);
        },
        onClose: (reason) => { state.tail = null; line("closed", reason); },
      });
    } catch (error) {
      line("error", `the tail could not connect: ${error.message}`);
      return;
    }
  }
  await state.tail.send("join", { room });
}

$("key-form").addEventListener("submit", (e) => {
  e.preventDefault();
  useKey($("api-key").value.trim());
});

$("forget-key").addEventListener("click", () => {
  sessionStorage.removeItem(KEY_STORAGE);
  location.reload();
});

$("publish-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const message = { type: $("publish-type").value, text: $("publish-text").value, username: $("publish-username").value || undefined };
  act(`published a ${message.type} into ${state.room}`, () => state.api.publish(state.room, message));
  $("publish-text").value = "";
});

$("mute-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const uid = $("mute-uid").value.trim();
  const seconds = Number($("mute-seconds").value);
  act(`muted ${uid} in ${state.room} for ${seconds} s`, () => state.api.mute(state.room, uid, seconds));
});

$("kick-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const uid = $("kick-uid").value.trim();
  act(`kicked ${uid} from ${state.room}`, () => state.api.kick(state.room, uid));
});

$("silence").addEventListener("click", () => act(`silenced ${state.room}`, () => state.api.silence(state.room, true)));
$("unsilence").addEventListener("click", () => act(`let everyone post in ${state.room}`, () => state.api.silence(state.room, false)));

async function loadBadWords() {
  try {
    $("badwords").value = await state.api.badWords();
  } catch (error) {
    report(`reading the prohibited words: failed, ${error instanceof ApiError ? error.plain : error.message}`, true);
  }
}

$("badwords-form").addEventListener("submit", (e) => {
  e.preventDefault();
  act("saved the prohibited-word list", () => state.api.saveBadWords($("badwords").value));
});

const saved = sessionStorage.getItem(KEY_STORAGE);
if (saved) useKey(saved);
