// The booking form, rendered from the service's form (`form { fields { ... } }`) and checked
// in the browser with the gateway's own rules (gateway/bookings/forms.py), so most mistakes
// are shown before any request. The gateway checks again: its FormInvalid errors are shown the
// same way, next to their fields.
import { h, uid } from "./dom.js";

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/; // the gateway's EMAIL pattern
const NUMBERS = new Set(["NUMBER", "RATING"]);
const LISTS = new Set(["ARRAY", "OBJECT_ARRAY"]);
const TEXT_TYPES = new Set(["STRING", "EMAIL", "PHONE", "URL", "URI", "DATE", "TIME", "DATE_TIME"]);
const INPUT_TYPES = {
  EMAIL: "email",
  PHONE: "tel",
  NUMBER: "number",
  RATING: "number",
  URL: "url",
  URI: "url",
  DATE: "date",
  TIME: "time",
  DATE_TIME: "datetime-local",
};
const AUTOCOMPLETE = { first_name: "given-name", last_name: "family-name", email: "email", phone: "tel" };

// A service without a booking form takes the customer as `contact`; these fields stand in.
export const CONTACT_FIELDS = [
  { target: "first_name", label: "First name", type: "STRING", required: true },
  { target: "last_name", label: "Last name", type: "STRING", required: true },
  { target: "email", label: "Email", type: "EMAIL", required: true },
  { target: "phone", label: "Phone", type: "PHONE", required: false },
].map((field) => ({ hidden: false, options: [], ...field }));

/** What is wrong with one answer (the gateway's wording), or null. */
export function problemWith(field, value) {
  const empty = value === undefined || value === "" || (Array.isArray(value) && !value.length);
  if (empty) return field.required && !field.hidden ? "is required" : null;
  const options = field.options.map((option) => option.value);
  if (field.type === "BOOLEAN") return typeof value === "boolean" ? null : "must be true or false";
  if (NUMBERS.has(field.type)) return Number.isFinite(value) ? null : "must be a number";
  if (LISTS.has(field.type)) {
    if (options.length && value.some((item) => !options.includes(item))) return oneOf(options);
    return null;
  }
  if (options.length && !options.includes(value)) return oneOf(options);
  if (field.type === "EMAIL" && !EMAIL.test(value)) return "must be an email address";
  return null;
}

const oneOf = (options) => `must be one of: ${[...options].sort().join(", ")}`;

/** Whether this app can render the field (the rest are left to the gateway to check). */
const renderable = (field) =>
  TEXT_TYPES.has(field.type) ||
  NUMBERS.has(field.type) ||
  field.type === "BOOLEAN" ||
  (LISTS.has(field.type) && field.options.length > 0);

/**
 * The form element and its controls. `onSubmit(answers)` runs once the answers pass the
 * checks; answers are keyed by field `target`, empty ones left out.
 */
export function bookingForm({ fields, submitLabel, onSubmit }) {
  const visible = fields.filter((field) => !field.hidden);
  const controls = visible.filter(renderable).map(control);
  const skipped = visible.filter((field) => !renderable(field));
  const summary = h("div", { class: "form-summary", "aria-live": "polite" });
  const submit = h("button", { type: "submit", class: "primary" }, submitLabel);
  const element = h(
    "form",
    { novalidate: true, class: "booking-form" },
    h("p", { class: "hint" }, "Fields marked * are required."),
    controls.map((c) => c.element),
    skipped.map((field) =>
      h("p", { class: "hint" }, `“${field.label}” can't be filled in here; the business will ask.`),
    ),
    summary,
    submit,
  );

  function answers() {
    const result = {};
    for (const c of controls) {
      const value = c.read();
      if (value !== undefined) result[c.field.target] = value;
    }
    return result;
  }

  /** Show `errors` (`{ target, message }`) next to their fields; focus the first one. */
  function showErrors(errors, { focus = true } = {}) {
    const byTarget = new Map(errors.map((error) => [error.target, error.message]));
    for (const c of controls) c.setError(byTarget.get(c.field.target));
    const unplaced = errors.filter((e) => !controls.some((c) => c.field.target === e.target));
    summary.replaceChildren(
      ...(errors.length
        ? [h("p", { class: "notice notice-error" }, `Please check ${errors.length === 1 ? "1 field" : `${errors.length} fields`}.`)]
        : []),
      ...unplaced.map((e) => h("p", { class: "field-error" }, `${e.target} ${e.message}`)),
    );
    const first = controls.find((c) => byTarget.has(c.field.target));
    if (focus && first) first.focus();
  }

  // A field shown as wrong is checked again as it is corrected.
  for (const c of controls) {
    const recheck = () => {
      if (!c.hasError()) return;
      c.setError(problemWith(c.field, c.read()));
      if (!controls.some((other) => other.hasError())) summary.replaceChildren();
    };
    c.element.addEventListener("input", recheck);
    c.element.addEventListener("change", recheck);
  }

  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    const given = answers();
    const errors = controls
      .map((c) => ({ target: c.field.target, message: problemWith(c.field, given[c.field.target]) }))
      .filter((error) => error.message);
    showErrors(errors);
    if (errors.length) return;
    submit.disabled = true;
    submit.setAttribute("aria-busy", "true");
    try {
      await onSubmit(given);
    } finally {
      submit.disabled = false;
      submit.removeAttribute("aria-busy");
    }
  });

  return { element, showErrors, submit };
}

/** One field: its label, input, and the error under it (tied with aria-describedby). */
function control(field) {
  const id = uid(`field-${field.target}`);
  const errorId = `${id}-error`;
  const error = h("p", { id: errorId, class: "field-error" });
  const required = field.required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null;
  const common = {
    id,
    name: field.target,
    required: field.required,
    "aria-required": field.required ? "true" : null,
    "aria-describedby": errorId,
  };
  let inputs;
  let read;
  let body;
  if (field.type === "BOOLEAN") {
    const box = h("input", { ...common, type: "checkbox", required: false });
    inputs = [box];
    read = () => box.checked;
    body = [h("label", { class: "check", for: id }, box, ` ${field.label}`, required)];
  } else if (LISTS.has(field.type)) {
    inputs = field.options.map((option) =>
      h("input", { type: "checkbox", name: field.target, value: option.value, "aria-describedby": errorId }),
    );
    read = () => inputs.filter((box) => box.checked).map((box) => box.value);
    body = [
      h(
        "fieldset",
        {},
        h("legend", {}, field.label, required),
        inputs.map((box, i) => h("label", { class: "check" }, box, ` ${field.options[i].label}`)),
      ),
    ];
  } else if (field.options.length) {
    const select = h(
      "select",
      common,
      h("option", { value: "" }, "Choose…"),
      field.options.map((option) => h("option", { value: option.value }, option.label)),
    );
    inputs = [select];
    read = () => select.value || undefined;
    body = [h("label", { for: id }, field.label, required), select];
  } else {
    const input = h("input", {
      ...common,
      type: INPUT_TYPES[field.type] || "text",
      autocomplete: AUTOCOMPLETE[field.target] || null,
      inputmode: NUMBERS.has(field.type) ? "decimal" : null,
    });
    inputs = [input];
    read = () => readInput(field, input);
    body = [h("label", { for: id }, field.label, required), input];
  }
  const element = h("div", { class: "field" }, body, error);
  return {
    field,
    element,
    read,
    focus: () => inputs[0].focus(),
    hasError: () => error.textContent !== "",
    setError(message) {
      error.textContent = message ? `${field.label} ${message}` : "";
      for (const input of inputs) {
        if (message) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    },
  };
}

function readInput(field, input) {
  if (NUMBERS.has(field.type)) {
    if (input.validity.badInput) return Number.NaN; // typed, but not a number
    return input.value === "" ? undefined : input.valueAsNumber;
  }
  const value = input.value.trim();
  return value === "" ? undefined : value;
}
