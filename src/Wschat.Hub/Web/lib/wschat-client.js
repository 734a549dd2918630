// One small client for the browser pages, over either way into the hub:
//  - "raw": wschat JSON over a browser WebSocket at the server root, as zwplayer speaks it;
//  - "json" / "msgpack": @microsoft/signalr at /hub (the vendored bundles in /lib set window.signalR).
// Both hand every server message to onMessage as one wschat object {type, ...fields}, and send
// with send(type, fields): by the protocol's one rule a wschat type is a hub method of the same name.

export const TRANSPORTS = {
  raw: "raw wschat (WebSocket JSON)",
  json: "SignalR (JSON)",
  msgpack: "SignalR (MessagePack)",
};

// The client methods a SignalR connection listens to: every message type the server sends
// (WschatMethods.ServerPayloadTypes in Wschat.Contracts; a test holds the two lists equal).
const SERVER_TYPES = ["setuserid", "hello", "event", "danmu", "text", "login", "logout", "userlist", "sendto", "error", "history", "offset"];

/**
 * Connects and resolves once the server has sent setuserid (so the caller knows its uid).
 * @param {{transport: string, onMessage: (m: object) => void, onClose: (reason: string) => void}} options
 */
export async function connect({ transport, onMessage, onClose }) {
  const connection = transport === "raw" ? rawConnection(onMessage, onClose) : signalRConnection(transport, onMessage, onClose);
  await connection.opened;
  return connection;
}

function firstSetUserId(onMessage) {
  let resolve;
  const uid = new Promise((r) => { resolve = r; });
  const handler = (message) => {
    if (message.type === "setuserid") resolve(message.uid);
    onMessage(message);
  };
  return { uid, handler };
}

function rawConnection(onMessage, onClose) {
  const url = new URL("/", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(url);
  const { uid, handler } = firstSetUserId(onMessage);
  const connection = {
    transport: "raw",
    uid: 0,
    send(type, fields = {}) {
      if (socket.readyState !== WebSocket.OPEN) return Promise.reject(new Error("not connected"));
      socket.send(JSON.stringify({ type, ...fields }));
      return Promise.resolve();
    },
    close() { socket.close(1000); },
  };
  socket.addEventListener("message", (e) => {
    let message;
    try { message = JSON.parse(e.data); } catch { return; }
    handler(message);
  });
  connection.opened = new Promise((resolve, reject) => {
    socket.addEventListener("error", () => reject(new Error("the WebSocket could not connect")));
    socket.addEventListener("close", (e) => {
      reject(new Error(`the WebSocket closed (${e.code})`));
      onClose(e.reason || `closed (${e.code})`);
    });
    uid.then((value) => { connection.uid = value; resolve(); });
  });
  return connection;
}

function signalRConnection(transport, onMessage, onClose) {
  const signalR = window.signalR;
  const builder = new signalR.HubConnectionBuilder()
    .withUrl(new URL("/hub", location.href).href)
    .configureLogging(signalR.LogLevel.Warning);
  if (transport === "msgpack") builder.withHubProtocol(new signalR.protocols.msgpack.MessagePackHubProtocol());
  const hub = builder.build();
  const { uid, handler } = firstSetUserId(onMessage);
  for (const type of SERVER_TYPES) hub.on(type, (payload) => handler({ type, ...payload }));
  hub.onclose((error) => onClose(error ? error.message : "closed"));
  const connection = {
    transport,
    uid: 0,
    // A hub method taking no request (leave, logout, userlist, hello) is invoked without an argument.
    send(type, fields) {
      return fields === undefined ? hub.invoke(type) : hub.invoke(type, fields);
    },
    close() { return hub.stop(); },
  };
  connection.opened = hub.start().then(() => uid).then((value) => { connection.uid = value; });
  return connection;
}

/** What the hub's refusal codes (ErrorCodes in Wschat.Contracts) mean to a user; the server's own message is shown next to it. */
export const ERROR_HINTS = {
  4001: "join a room first",
  4002: "the text is empty or too long",
  4004: "that room name is not allowed",
  4006: "the login fields are not allowed",
  4007: "give one or more uids to send to",
  4029: "you are sending too fast, slow down",
  4030: "you are muted in this room",
  4031: "this room is silenced",
  4032: "you were removed from the room",
  4033: "you are banned from this room",
  4040: "the site did not vouch for this login",
};

export function describeError({ code, msg }) {
  const hint = ERROR_HINTS[code];
  return hint ? `${hint} (${code}: ${msg})` : `${code}: ${msg}`;
}
