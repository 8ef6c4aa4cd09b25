// A tiny view helper instead of a framework: h("button", { type: "button", onclick }, "Book")
// builds an element. Text children become text nodes (never HTML), so API data can't inject
// markup.
const PROPERTIES = new Set(["value", "checked", "disabled", "hidden"]);

export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else if (PROPERTIES.has(name)) element[name] = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.flat(Infinity).filter((child) => child != null && child !== false));
  return element;
}

let ids = 0;

/** A page-unique id, to tie labels, hints and errors to their inputs. */
export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** Replace what `container` shows. */
export function show(container, ...children) {
  container.replaceChildren(...children.flat(Infinity).filter((child) => child != null));
}

/** A button that runs `action` once at a time: disabled and marked busy while it runs. */
export function actionButton(label, action, props = {}) {
  const button = h("button", { type: "button", ...props }, label);
  button.addEventListener("click", async () => {
    if (button.disabled) return;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    try {
      await action(button);
    } finally {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  });
  return button;
}

/** What a failed call says to the user. */
export function errorNotice(error) {
  const code = error.code ? ` (${error.code})` : "";
  return h("p", { class: "notice notice-error", role: "alert" }, `${error.message}${code}`);
}

/** A polite live region: what is put in it is read out by screen readers. */
export function liveRegion(props = {}) {
  return h("div", { "aria-live": "polite", ...props });
}
