// Danmaku over the player: each comment crosses right to left in a lane. A lane takes a new
// comment only when its last one has fully entered (plus a gap) and the newcomer, moving at its
// own speed, cannot catch it before it leaves: so no two ever overlap. Every comment takes the
// same time to cross, so a longer one moves faster. Hovering any comment pauses them all (and the
// lane clock with them, which keeps the no-overlap promise).

const CROSSING_MS = 8000;
const GAP_PX = 24;
const RETRY_MS = 250;
const MAX_WAITING = 200;

export class DanmakuLayer {
  #layer;
  #lanes = [];
  #waiting = [];
  #running = new Set();
  #pausedAt = null;
  #pausedTotal = 0;
  #retry = null;

  constructor(layer) {
    this.#layer = layer;
    layer.addEventListener("pointerover", (e) => { if (e.target.classList.contains("danmaku")) this.#pause(); });
    layer.addEventListener("pointerout", (e) => { if (e.target.classList.contains("danmaku")) this.#resume(); });
  }

  /** Shows a comment; it waits (up to a limit) when every lane is busy. */
  add(text, className = "") {
    this.#waiting.push({ text, className });
    if (this.#waiting.length > MAX_WAITING) this.#waiting.shift();
    this.#drain();
  }

  /** Time that flows only while not paused: lanes are planned on it. */
  #clock() {
    return (this.#pausedAt ?? performance.now()) - this.#pausedTotal;
  }

  #pause() {
    if (this.#pausedAt !== null) return;
    this.#pausedAt = performance.now();
    for (const animation of this.#running) animation.pause();
  }

  #resume() {
    if (this.#pausedAt === null) return;
    this.#pausedTotal += performance.now() - this.#pausedAt;
    this.#pausedAt = null;
    for (const animation of this.#running) animation.play();
    this.#drain();
  }

  #drain() {
    while (this.#waiting.length > 0 && this.#pausedAt === null) {
      if (!this.#launch(this.#waiting[0])) {
        this.#retry ??= setTimeout(() => { this.#retry = null; this.#drain(); }, RETRY_MS);
        return;
      }
      this.#waiting.shift();
    }
  }

  #launch({ text, className }) {
    const width = this.#layer.clientWidth;
    if (width === 0) return false;
    const element = document.createElement("div");
    element.className = `danmaku ${className}`.trim();
    element.textContent = text;
    element.style.visibility = "hidden";
    element.style.transform = `translateX(${width}px)`;
    this.#layer.append(element);

    const size = element.offsetWidth;
    const laneHeight = element.offsetHeight;
    const laneCount = Math.max(1, Math.floor(this.#layer.clientHeight / laneHeight));
    const speed = (width + size) / CROSSING_MS;
    const now = this.#clock();
    const lane = this.#freeLane(laneCount, now, width, size, speed);
    if (lane < 0) {
      element.remove();
      return false;
    }

    this.#lanes[lane] = { start: now, speed, size };
    element.dataset.lane = String(lane);
    element.style.top = `${lane * laneHeight}px`;
    element.style.visibility = "";
    const animation = element.animate(
      [{ transform: `translateX(${width}px)` }, { transform: `translateX(${-size}px)` }],
      { duration: CROSSING_MS, easing: "linear", fill: "forwards" });
    this.#running.add(animation);
    animation.finished.then(() => {
      this.#running.delete(animation);
      element.remove();
    }, () => this.#running.delete(animation));
    return true;
  }

  #freeLane(laneCount, now, width, size, speed) {
    for (let lane = 0; lane < laneCount; lane++) {
      const last = this.#lanes[lane];
      if (!last) return lane;
      const travelled = last.speed * (now - last.start);
      const entered = travelled >= last.size + GAP_PX;
      const leavesAt = last.start + (width + last.size) / last.speed;
      const caughtUp = speed * Math.max(0, leavesAt - now) > width;
      if (entered && !caughtUp) return lane;
    }
    return -1;
  }
}
