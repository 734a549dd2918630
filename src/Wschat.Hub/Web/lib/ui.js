// DOM helpers shared by the pages.

/**
 * Creates an element: element("li", {className: "x"}, "text", child, [more, children]).
 * Text is always set as text, never parsed as HTML.
 */
export function element(tag, properties = {}, ...children) {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return node;
}

const SHOWN_MS = 10_000;
const MAX_SHOWN = 4;

/** Shows a message in a box that stays a while (errors must be seen, not only logged to the console). */
export function flash(container, text, className = "error") {
  const box = element("div", { className }, text);
  container.prepend(box);
  while (container.childElementCount > MAX_SHOWN) container.lastElementChild.remove();
  setTimeout(() => box.remove(), SHOWN_MS);
  return box;
}

/** Keeps a scrolled list to its newest entries. */
export function appendCapped(list, item, max = 200) {
  list.append(item);
  while (list.childElementCount > max) list.firstElementChild.remove();
  list.scrollTop = list.scrollHeight;
}
