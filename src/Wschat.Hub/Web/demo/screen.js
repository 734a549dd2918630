// The "video": a canvas animation drawn in the page (no file, no network): a slow colour field,
// drifting lights and a live clock, enough to judge danmaku over a moving picture. A soft picture
// needs few pixels: it is drawn at most 640 wide (CSS scales it) and 30 times a second, so it costs
// little CPU on a phone or next to other pages.

const MAX_WIDTH = 640;
const FRAME_MS = 1000 / 30;

export function play(canvas) {
  const context = canvas.getContext("2d");
  const started = performance.now();
  const lights = Array.from({ length: 14 }, (_, i) => ({
    x: (i * 0.137) % 1, y: (i * 0.291) % 1, r: 0.04 + (i % 5) * 0.015, speed: 0.02 + (i % 7) * 0.006, hue: (i * 47) % 360,
  }));

  let drawn = 0;

  function fit() {
    const { clientWidth, clientHeight } = canvas;
    const ratio = Math.min(window.devicePixelRatio || 1, MAX_WIDTH / Math.max(1, clientWidth));
    if (canvas.width !== Math.round(clientWidth * ratio) || canvas.height !== Math.round(clientHeight * ratio)) {
      canvas.width = Math.round(clientWidth * ratio);
      canvas.height = Math.round(clientHeight * ratio);
    }
  }

  function frame(now) {
    requestAnimationFrame(frame);
    if (now - drawn < FRAME_MS) return;
    drawn = now;
    fit();
    const { width, height } = canvas;
    const t = (now - started) / 1000;
    const hue = (t * 6) % 360;
    const sky = context.createLinearGradient(0, 0, width, height);
    sky.addColorStop(0, `hsl(${hue}, 55%, 22%)`);
    sky.addColorStop(1, `hsl(${(hue + 80) % 360}, 60%, 12%)`);
    context.fillStyle = sky;
    context.fillRect(0, 0, width, height);

    context.globalCompositeOperation = "lighter";
    for (const light of lights) {
      const x = ((light.x + t * light.speed) % 1.2 - 0.1) * width;
      const y = (light.y + Math.sin(t * light.speed * 6 + light.hue) * 0.08) * height;
      const radius = light.r * Math.min(width, height) * 2;
      const glow = context.createRadialGradient(x, y, 0, x, y, radius);
      glow.addColorStop(0, `hsla(${(light.hue + hue) % 360}, 80%, 60%, .35)`);
      glow.addColorStop(1, "hsla(0, 0%, 0%, 0)");
      context.fillStyle = glow;
      context.fillRect(x - radius, y - radius, radius * 2, radius * 2);
    }
    context.globalCompositeOperation = "source-over";

    const seconds = Math.floor(t);
    const clock = `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
    context.font = `${Math.round(height * 0.05)}px system-ui, sans-serif`;
    context.fillStyle = "rgba(255, 70, 70, .9)";
    context.fillText(`● LIVE ${clock}`, height * 0.04, height - height * 0.05);
  }

  requestAnimationFrame(frame);
}
