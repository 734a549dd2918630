// The server HTTP API (issue 12, section 1; /openapi/v1.json describes it) as the console calls it:
// every call carries the key as Authorization: Bearer; a refusal becomes an ApiError with the
// problem details' words.

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

  /** The cluster's nodes as their leases show them (this node alone without Redis). */
  nodes() {
    return this.#request("GET", "/api/nodes");
  }

  /** The first page of rooms with members (the API pages by cursor; a console shows the first hundred). */
  async rooms() {
    const page = await this.#request("GET", "/api/rooms");
    return page.rooms;
  }

  /** A room's counts and logged-in users. */
  room(name) {
    return this.#request("GET", `/api/rooms/${encodeURIComponent(name)}`);
  }

  publish(room, message) {
    return this.#request("POST", `/api/rooms/${encodeURIComponent(room)}/messages`, message);
  }

  kick(room, uid) {
    return this.#request("DELETE", `/api/rooms/${encodeURIComponent(room)}/members/${encodeURIComponent(uid)}`);
  }

  mute(room, uid, seconds) {
    return this.#request("POST", `/api/rooms/${encodeURIComponent(room)}/mutes`, { uid: Number(uid), seconds });
  }

  silence(room, silenced) {
    return this.#request("PUT", `/api/rooms/${encodeURIComponent(room)}/silence`, { silenced });
  }

  /** The prohibited-word list as setbadwords takes it: word=replacement lines. */
  async badWords() {
    return (await this.#request("GET", "/api/badwords")).rules ?? "";
  }

  saveBadWords(rules) {
    return this.#request("PUT", "/api/badwords", { rules });
  }
}
