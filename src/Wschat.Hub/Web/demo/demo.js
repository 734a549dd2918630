// The danmaku player page: joins ?room= over the chosen way in (?transport=raw|json|msgpack),
// flies the room's danmu over the picture, and offers login, chat, the user list and private messages.
import { connect, describeError, TRANSPORTS } from "../lib/wschat-client.js";
import { element, flash, appendCapped } from "../lib/ui.js";
import { DanmakuLayer } from "./danmaku.js";
import { play } from "./screen.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const AVATAR_COLOURS = ["#e5484d", "#f76b15", "#ffc53d", "#30a46c", "#3e63dd", "#8e4ec6"];
const NEWEST_SHOWN = 5;
// Every page in a room hears every join, leave, login and logout: asking for the user list on each
// would make one member's coming and going a request from every page. The list is asked for at most
// this often, and only while it is open in a visible tab.
const USERS_EVERY_MS = 3000;

const state = {
  connection: null,
  transport: TRANSPORTS[params.get("transport")] ? params.get("transport") : "raw",
  room: params.get("room") || "lobby",
  login: null,
  newest: [],
  usersAskedAt: -Infinity,
  usersDue: null,
};
const danmaku = new DanmakuLayer($("danmaku-layer"));

function setStatus(text, name) {
  $("status").textContent = text;
  $("status").dataset.state = name;
}

function showError(text) {
  flash($("errors"), text);
  log(element("span", { className: "error-line" }, `⚠ ${text}`), "error");
}

function log(content, className = "") {
  appendCapped($("log"), element("li", { className }, content));
}

function who(message) {
  return message.username || `guest ${message.uid}`;
}

/** A round avatar with the name's initial, as a data: URL (no image host needed; short enough for a login field). */
function avatarUrl(name, colour) {
  const initial = ([...name.trim()][0] ?? "?").toUpperCase().replace(/[<>&'"]/g, "");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><circle cx="20" cy="20" r="20" fill="${colour}"/>`
    + `<text x="20" y="27" font-size="20" font-family="sans-serif" text-anchor="middle" fill="#fff">${initial}</text></svg>`;
  const bytes = new TextEncoder().encode(svg);
  return `data:image/svg+xml;base64,${btoa(String.fromCharCode(...bytes))}`;
}

/** An avatar the page draws: an https: picture or a data: image; any other value (javascript:, http:, a path) is not. */
function drawableAvatar(value) {
  return /^(https:|data:image\/)/i.test(value) ? value : null;
}

function showCounts(event) {
  $("viewers").textContent = String(event.userscount);
  $("logined").textContent = String(event.loginedcount);
}

function remember(name) {
  state.newest = [name, ...state.newest.filter((n) => n !== name)].slice(0, NEWEST_SHOWN);
  $("newest").textContent = state.newest.join(", ");
}

const handlers = {
  setuserid(m) { $("uid").textContent = String(m.uid); },
  event(m) {
    showCounts(m);
    const mine = m.uid === state.connection?.uid;
    switch (m.event) {
      case "joinroom":
        log(mine ? `You joined ${state.room}` : `${m.uid} joined`, "event");
        requestUsersSoon();
        break;
      case "leaveroom":
        if (!mine) log(`${m.uid} left`, "event");
        requestUsersSoon();
        break;
      case "login":
        remember(m.username);
        log(`${m.username} logged in`, "event");
        requestUsersSoon();
        break;
      case "logout":
        log(`${m.username} logged out`, "event");
        requestUsersSoon();
        break;
    }
  },
  danmu(m) {
    const mine = m.uid === String(state.connection?.uid);
    danmaku.add(m.text, mine ? "mine" : "");
  },
  text(m) {
    log([element("span", { className: "who" }, `${who(m)}: `), m.text]);
  },
  sendto(m) {
    log([element("span", { className: "who" }, `${who(m)} → you: `), m.text], "private");
  },
  login(m) {
    if (m.result !== "success") return;
    $("login").textContent = "Log in again";
    $("logout").hidden = false;
  },
  logout() {
    state.login = null;
    $("login").textContent = "Log in";
    $("logout").hidden = true;
  },
  userlist(m) {
    const items = m.users.map((user) => element("li", {},
      element("img", { src: drawableAvatar(user.avatar) ?? avatarUrl(user.username, "#555"), alt: "" }),
      element("span", {}, user.username),
      element("button", { type: "button", className: "link", onclick: () => { $("pm-to").value = user.uid; $("pm-text").focus(); } }, "PM"),
      element("span", { className: "uid" }, user.uid)));
    $("users").replaceChildren(...items);
    if (m.count > m.users.length) $("users").append(element("li", { className: "event" }, `and ${m.count - m.users.length} more`));
  },
  error(m) { showError(describeError(m)); },
};

function usersShown() {
  return $("users-panel").open && document.visibilityState === "visible";
}

function requestUsers() {
  state.usersAskedAt = performance.now();
  send("userlist");
}

/** Asks for the user list once the last request is USERS_EVERY_MS old: a burst of events makes one request. */
function requestUsersSoon() {
  if (state.usersDue !== null || !usersShown()) return;
  const wait = Math.max(0, state.usersAskedAt + USERS_EVERY_MS - performance.now());
  state.usersDue = setTimeout(() => {
    state.usersDue = null;
    if (usersShown()) requestUsers();
  }, wait);
}

function send(type, fields) {
  if (!state.connection) {
    showError("not connected");
    return;
  }
  state.connection.send(type, fields).catch((error) => showError(error.message));
}

async function open() {
  state.connection?.close();
  state.connection = null;
  setStatus(`connecting (${TRANSPORTS[state.transport]})…`, "connecting");
  let connection;
  try {
    connection = await connect({
      transport: state.transport,
      onMessage: (message) => handlers[message.type]?.(message),
      onClose: (reason) => {
        if (state.connection !== connection) return;
        state.connection = null;
        setStatus(`disconnected: ${reason}`, "closed");
        showError(`Disconnected (${reason}). Press Join to connect again.`);
      },
    });
  } catch (error) {
    setStatus("could not connect", "failed");
    showError(`Could not connect: ${error.message}`);
    return;
  }

  state.connection = connection;
  setStatus(`connected via ${TRANSPORTS[state.transport]}`, "connected");
  send("join", { room: state.room });
  if (state.login) send("login", state.login);
}

function showPlace() {
  $("room").value = state.room;
  $("transport").value = state.transport;
  document.title = `${state.room} · Wschat danmaku`;
  const url = new URL(location.href);
  url.searchParams.set("room", state.room);
  url.searchParams.set("transport", state.transport);
  history.replaceState(null, "", url);
}

$("room-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const transportChanged = $("transport").value !== state.transport;
  state.room = $("room").value.trim();
  state.transport = $("transport").value;
  showPlace();
  if (transportChanged || !state.connection) {
    open();
  } else {
    send("join", { room: state.room });
  }
});

$("send-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const kind = e.submitter?.value === "text" ? "text" : "danmu";
  send(kind, { text: $("message").value });
  $("message").value = "";
});

$("login-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const uname = $("uname").value.trim();
  const colour = new FormData(e.target).get("avatar") ?? AVATAR_COLOURS[0];
  state.login = { uname, avatar: avatarUrl(uname, colour), loginid: `web-${uname}`, info: "" };
  send("login", state.login);
});

$("logout").addEventListener("click", () => send("logout"));
$("refresh-users").addEventListener("click", (e) => { e.preventDefault(); requestUsers(); });
// What changed while the list was closed or the tab hidden is fetched when it shows again.
$("users-panel").addEventListener("toggle", requestUsersSoon);
document.addEventListener("visibilitychange", requestUsersSoon);

$("pm-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const to = $("pm-to").value.trim();
  send("sendto", { text: $("pm-text").value, touids: to });
  log([element("span", { className: "who" }, `you → ${to}: `), $("pm-text").value], "private");
  $("pm-text").value = "";
});

for (const [value, label] of Object.entries(TRANSPORTS)) $("transport").append(element("option", { value }, label));
AVATAR_COLOURS.forEach((colour, i) => {
  $("avatars").append(element("label", { title: colour },
    element("input", { type: "radio", name: "avatar", value: colour, checked: i === 0 }),
    element("img", { src: avatarUrl("", colour), alt: `avatar ${i + 1}` })));
});
$("uname").addEventListener("input", () => {
  for (const image of $("avatars").querySelectorAll("img")) image.src = avatarUrl($("uname").value, image.closest("label").title);
});

showPlace();
play($("screen"));
// The SignalR bundles are classic deferred scripts: they have run before this module does.
open();
