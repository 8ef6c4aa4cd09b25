// The customer's page: service -> time -> details -> outcome. It runs as an anonymous caller
// (no Authorization header), so it sends only what visitors may: no `confirm`, no
// `paymentStatus`; the booking stays CREATED until the business confirms it.
import { bookingForm, CONTACT_FIELDS } from "./booking-form.js";
import { idempotencyKey, mutate, query } from "./client.js";
import * as api from "./documents.js";
import { errorNotice, h, liveRegion, show } from "./dom.js";
import { priceLabel, slotLabel } from "./format.js";
import { outcomeView } from "./outcomes.js";
import { slotPicker } from "./slot-picker.js";

const TYPES = { APPOINTMENT: "Appointment", CLASS: "Class", COURSE: "Course" };
const FLOWS = {
  APPOINTMENT: { document: api.BOOK_APPOINTMENT, field: "bookAppointment" },
  CLASS: { document: api.BOOK_CLASS_SESSION, field: "bookClassSession" },
  COURSE: { document: api.BOOK_COURSE, field: "bookCourse" },
};

export function bookView() {
  const state = { services: [], service: null, slot: null, resourceId: null, fields: null, form: null };
  // state.fieldsPromise: the service's booking form, loaded while the customer picks a time
  const services = h("div", { class: "services" }, h("p", { class: "hint" }, "Loading services…"));
  const timeHeading = h("h2", { id: "step-time", tabindex: "-1" });
  const timeBody = h("div");
  const timeStep = h("section", { class: "step", hidden: true, "aria-labelledby": "step-time" }, timeHeading, timeBody);
  const selection = h("div", { class: "selection" });
  const formSlot = h("div");
  const detailsStep = h(
    "section",
    { class: "step", hidden: true, "aria-labelledby": "step-details" },
    h("h2", { id: "step-details", tabindex: "-1" }, "3. Your details"),
    selection,
    formSlot,
  );
  const outcome = liveRegion({ class: "outcome-region" });

  async function loadServices() {
    try {
      const data = await query(api.SERVICES, {});
      state.services = data.services.nodes.filter((service) => FLOWS[service.type]);
      renderServices();
    } catch (error) {
      show(services, errorNotice(error));
    }
  }

  function renderServices() {
    show(
      services,
      h(
        "ul",
        { class: "service-list" },
        state.services.map((service) => h("li", {}, serviceButton(service))),
      ),
    );
  }

  function serviceButton(service) {
    const online = service.onlineBooking.enabled;
    const facts = [
      TYPES[service.type],
      service.durationMinutes ? `${service.durationMinutes} min` : null,
      priceLabel(service.payment),
      online ? null : "book by phone",
    ];
    return h(
      "button",
      {
        type: "button",
        class: "service",
        disabled: !online,
        "aria-pressed": String(service === state.service),
        onclick: () => pickService(service),
      },
      h("span", { class: "service-name" }, service.name),
      h("span", { class: "service-meta" }, facts.filter(Boolean).join(" · ")),
    );
  }

  function pickService(service) {
    Object.assign(state, { service, slot: null, resourceId: null, fields: null, form: null, picker: null });
    state.fieldsPromise = loadFields(service);
    renderServices();
    show(outcome);
    show(formSlot);
    detailsStep.hidden = true;
    timeStep.hidden = false;
    if (service.type === "COURSE") {
      timeHeading.textContent = "2. The course";
      show(timeBody, h("p", {}, `${service.name} is booked as a whole: one booking for all its sessions.`));
      showDetails();
    } else {
      timeHeading.textContent = service.type === "CLASS" ? "2. Choose a class" : "2. Choose a time";
      const [slotsQuery, field] =
        service.type === "CLASS" ? [api.CLASS_SESSIONS, "eventTimeSlots"] : [api.APPOINTMENT_SLOTS, "timeSlots"];
      const picker = slotPicker({
        load: async (after) => (await query(slotsQuery, { serviceId: service.id, after }))[field],
        onPick: (slot) => {
          pickSlot(slot);
          detailsStep.querySelector("h2").focus();
        },
      });
      state.picker = picker;
      show(timeBody, picker.element);
    }
    timeHeading.focus();
  }

  async function loadFields(service) {
    if (!service.formId) return CONTACT_FIELDS;
    const data = await query(api.FORM, { id: service.formId });
    return data.form ? data.form.fields : CONTACT_FIELDS;
  }

  function pickSlot(slot) {
    state.slot = slot;
    const resources = slot.eventId ? [] : slot.resources;
    state.resourceId = resources.length === 1 ? resources[0].id : null;
    renderSelection();
    if (detailsStep.hidden) showDetails();
  }

  function renderSelection() {
    const { service, slot } = state;
    const when = slot ? slotLabel(slot) : null;
    const where = slot?.location?.name;
    const line = [service.name, when, where].filter(Boolean).join(" · ");
    const resources = slot && !slot.eventId ? slot.resources : [];
    show(selection, h("p", { class: "selected", id: "selected-slot" }, line), staffChoice(resources));
  }

  function staffChoice(resources) {
    if (resources.length === 1) return h("p", { class: "hint" }, `With ${resources[0].name}.`);
    if (resources.length < 2) return null;
    const select = h(
      "select",
      { id: "staff", onchange: () => (state.resourceId = select.value || null) },
      h("option", { value: "" }, "Anyone available"),
      resources.map((r) => h("option", { value: r.id }, r.name)),
    );
    return h("div", { class: "field" }, h("label", { for: "staff" }, "Staff member"), select);
  }

  async function showDetails() {
    renderSelection();
    detailsStep.hidden = false;
    try {
      const service = state.service;
      const fields = await state.fieldsPromise;
      if (state.service !== service || state.form) return; // another service was picked meanwhile
      state.fields = fields;
      state.form = bookingForm({ fields, submitLabel: "Book", onSubmit: book });
      show(formSlot, state.form.element);
    } catch (error) {
      show(formSlot, errorNotice(error));
    }
  }

  async function book(answers) {
    const { service, slot } = state;
    const who = state.fields === CONTACT_FIELDS ? { contact: contactOf(answers) } : { formSubmission: answers };
    const flow = FLOWS[service.type];
    let input;
    if (service.type === "COURSE") input = { serviceId: service.id, ...who };
    else if (service.type === "CLASS") input = { eventId: slot.eventId, ...who };
    else {
      input = {
        serviceId: service.id,
        localStart: slot.localStart,
        localEnd: slot.localEnd,
        timeZone: slot.timeZone,
        resourceId: state.resourceId,
        locationId: slot.location?.id,
        ...who,
      };
    }
    input.idempotencyKey = idempotencyKey("book", input);
    show(outcome, h("p", { class: "hint" }, "Booking…"));
    try {
      const result = (await mutate(flow.document, { input }))[flow.field];
      showOutcome(result);
    } catch (error) {
      show(outcome, errorNotice(error));
    }
  }

  function showOutcome(result) {
    const panel = outcomeView(result, {
      onAlternative: pickAlternative,
      timeZone: state.slot?.timeZone,
      success: "Your booking is made. The business will send you a link to change or cancel it.",
    });
    panel.tabIndex = -1;
    show(outcome, panel);
    if (result.__typename === "SlotUnavailable") state.picker?.refresh(); // drop the lost time
    if (result.__typename === "FormInvalid") {
      state.form.showErrors(result.fieldErrors);
      return;
    }
    if (result.__typename === "BookingCreated") {
      state.service = null;
      renderServices();
      timeStep.hidden = true;
      detailsStep.hidden = true;
      show(formSlot);
    }
    panel.focus();
  }

  function pickAlternative(slot) {
    state.picker?.reset();
    pickSlot(slot);
    show(outcome, h("p", { class: "notice" }, `Selected ${slotLabel(slot)}. Press Book to book it.`));
    state.form?.submit.focus();
  }

  loadServices();
  return h(
    "div",
    {},
    h("h1", { tabindex: "-1" }, "Book a visit"),
    h(
      "section",
      { class: "step", "aria-labelledby": "step-service" },
      h("h2", { id: "step-service" }, "1. Choose a service"),
      services,
    ),
    timeStep,
    detailsStep,
    outcome,
  );
}

function contactOf(answers) {
  return { firstName: answers.first_name, lastName: answers.last_name, email: answers.email, phone: answers.phone };
}
