// Peer: a Socket.IO room server (WebSocket transport), the usual pick for barrage in Node.
import { createServer } from "node:http";
import { Server } from "socket.io";

const http = createServer();
const io = new Server(http, { transports: ["websocket"], serveClient: false });
io.on("connection", (socket) => {
  socket.on("join", (room) => { socket.data.room = room; socket.join(room); });
  socket.on("danmu", (text) => {
    if (socket.data.room) io.to(socket.data.room).emit("danmu", { text, uid: "0", avatar: "", username: "" });
  });
});
http.listen(Number(process.argv[2]), "127.0.0.1");
