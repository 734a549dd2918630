// The server HTTP API (issue 12, section 1) as the console calls it: every call carries the key as
// Authorization: Bearer; a refusal becomes an ApiError with the problem details' words.
// Room and user shapes are read tolerantly (userscount or usersCount, rooms as an array or a page).

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }

  /** Said plainly to the operator, by what the status means for the key. */
  get plain() {
    if (this.status === 401 || this.status === 403) return `wrong API key: the server refused it (${this.status})`;
    if (this.status === 404 && this.message === "Not Found") return "this server has no HTTP API at /api (404)";
    return `${this.message} (${this.status})`;
  }
}

export class Api {
  #key;

  constructor(key) {
    this.#key = key;
  }

  async #request(method, path, body) {
    const headers = { Authorization: `Bearer ${this.#key}`, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const json = text && (response.headers.get("Content-Type") ?? "").includes("json") ? JSON.parse(text) : null;
    if (!response.ok) throw new ApiError(response.status, json?.detail ?? json?.title ?? (text.trim() || response.statusText || "Not Found"));
    return json;
  }

  async rooms() {
    const page = await this.#request("GET", "/api/rooms");
    const rooms = Array.isArray(page) ? page : page?.rooms ?? page?.items ?? [];
    return rooms.map(readRoom);
  }

  async room(name) {
    return readRoom(await this.#request("GET", `/api/rooms/${encodeURIComponent(name)}`));
  }

  publish(room, message) {
    return this.#request("POST", `/api/rooms/${encodeURIComponent(room)}/messages`, message);
  }

  kick(room, uid) {
    return this.#request("DELETE", `/api/rooms/${encodeURIComponent(room)}/members/${encodeURIComponent(uid)}`);
  }

  mute(room, uid, seconds) {
    return this.#request("POST", `/api/rooms/${encodeURIComponent(room)}/mutes`, { uid: String(uid), seconds });
  }

  silence(room, silenced) {
    return this.#request("PUT", `/api/rooms/${encodeURIComponent(room)}/silence`, { silenced });
  }

  /** The prohibited-word list as word=replacement lines. */
  async badWords() {
    return toLines(await this.#request("GET", "/api/badwords"));
  }

  saveBadWords(lines) {
    const rules = lines.split(/\r?\n/).filter((line) => line.trim() !== "").map((line) => {
      const at = line.indexOf("=");
      return at < 0 ? { word: line, replacement: "" } : { word: line.slice(0, at), replacement: line.slice(at + 1) };
    });
    return this.#request("PUT", "/api/badwords", { rules });
  }
}

function readRoom(room) {
  return {
    name: room.room ?? room.name,
    users: room.userscount ?? room.usersCount ?? room.users_count ?? 0,
    logined: room.loginedcount ?? room.loginedCount ?? room.logined_count ?? 0,
    members: (Array.isArray(room.users) ? room.users : room.loggedIn ?? room.members ?? []).map((user) => ({
      uid: String(user.uid),
      username: user.username ?? user.uname ?? "",
      avatar: user.avatar ?? "",
      userid: user.userid ?? user.loginid ?? "",
      ip: user.ip ?? "",
    })),
  };
}

function toLines(list) {
  if (typeof list === "string") return list;
  if (Array.isArray(list)) return list.map((rule) => typeof rule === "string" ? rule : `${rule.word}=${rule.replacement ?? ""}`).join("\n");
  if (list && typeof list === "object") {
    const inner = list.rules ?? list.words;
    return inner !== undefined ? toLines(inner) : Object.entries(list).map(([word, replacement]) => `${word}=${replacement}`).join("\n");
  }
  return "";
}
