// Peer: a plain Node `ws` room broadcaster speaking wschat JSON, serializing each danmu once.
import { WebSocketServer } from "ws";

const rooms = new Map();
const wss = new WebSocketServer({ host: "127.0.0.1", port: Number(process.argv[2]) });
wss.on("connection", (socket) => {
  let room;
  socket.on("message", (data) => {
    const message = JSON.parse(data.toString("utf8"));
    if (message.type === "join") {
      room = message.room;
      if (!rooms.has(room)) rooms.set(room, new Set());
      rooms.get(room).add(socket);
    } else if (message.type === "danmu" && room) {
      const out = JSON.stringify({ type: "danmu", text: message.text, uid: "0", avatar: "", username: "" });
      for (const member of rooms.get(room)) member.send(out);
    }
  });
  socket.on("close", () => room && rooms.get(room)?.delete(socket));
});
