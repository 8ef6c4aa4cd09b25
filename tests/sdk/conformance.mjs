// The official Wix JS SDK as a conformance suite for the sandbox: every Wix method the gateway
// calls, with valid inputs, plus a few refusals, against the sandbox URL given as argv[2]
// (served by tests/sdk/test_sdk_conformance.py on a frozen clock, freshly reset).
// Prints one JSON array: {name, ok, code?, status?, value?} per call.
import { createClient, ApiKeyStrategy } from "@wix/sdk";
import * as bookings from "@wix/auto_sdk_bookings_bookings";
import * as extendedBookings from "@wix/auto_sdk_bookings_extended-bookings";
import * as timeSlots from "@wix/auto_sdk_bookings_availability-time-slots";
import * as eventTimeSlots from "@wix/auto_sdk_bookings_event-time-slots";
import * as multiServiceSlots from "@wix/auto_sdk_bookings_multi-service-availability-time-slots";
import * as services from "@wix/auto_sdk_bookings_services";
import * as bookingPolicies from "@wix/auto_sdk_bookings_booking-policies";
import * as forms from "@wix/auto_sdk_forms_forms";
import * as siteProperties from "@wix/auto_sdk_business-tools_site-properties";

const [sandboxUrl, fixturesJson] = process.argv.slice(2);
const F = JSON.parse(fixturesJson); // ids and slots of the seeded demo business
const WIX = "https://www.wixapis.com";

// Every SDK request goes to the sandbox instead of Wix; the path is the SDK's own.
const sandboxFetch = (url, init) => {
  const target = typeof url === "string" ? url : url.url;
  return fetch(target.replace(WIX, sandboxUrl), init);
};

const client = createClient({
  auth: ApiKeyStrategy({ apiKey: "sdk-conformance", siteId: F.siteId }),
  modules: {
    bookings, extendedBookings, timeSlots, eventTimeSlots, multiServiceSlots, services,
    bookingPolicies, forms, siteProperties,
  },
  fetch: sandboxFetch,
});

const results = [];
async function call(name, run, pick = (value) => value) {
  try {
    const value = await run();
    results.push({ name, ok: true, value: pick(value) });
    return value;
  } catch (error) {
    const details = error?.details ?? {};
    results.push({
      name,
      ok: false,
      status: error?.response?.status ?? error?.httpStatus ?? null,
      code: details.applicationError?.code ?? (details.validationError ? "VALIDATION" : null),
      message: String(error?.message ?? error),
    });
    return undefined;
  }
}

const contact = { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" };
const form = { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" };
// A Time Slots answer's slot as a booking slot (a business location is OWNER_BUSINESS there).
const slotOf = (serviceId, t) => ({
  serviceId, startDate: t.localStartDate, endDate: t.localEndDate, timezone: F.timeZone,
  location: { locationType: "OWNER_BUSINESS", _id: t.location._id },
  ...staffOf(t),
});
// The staff member a slot offers, when the answer names one (else the sandbox picks).
function staffOf(t) {
  const id = t.availableResources?.[0]?.resources?.[0]?._id;
  return id ? { resource: { _id: id } } : {};
}
async function bookable(serviceId) {
  const answer = await client.timeSlots.listAvailabilityTimeSlots({
    serviceId, fromLocalDate: F.from, toLocalDate: F.to, timeZone: F.timeZone, bookable: true,
  });
  return answer.timeSlots.filter((t) => t.bookable).map((t) => slotOf(serviceId, t));
}

try {
  // -- catalog ------------------------------------------------------------------------------
  await call("getService", () => client.services.getService(F.haircut), (s) => s._id);
  await call("queryServices", () => client.services.queryServices().find(), (r) => r.items.length);
  await call("getBookingPolicy", () => client.bookingPolicies.getBookingPolicy(F.policy), (p) => p._id);
  await call("queryBookingPolicies", () => client.bookingPolicies.queryBookingPolicies().find(),
    (r) => r.items.length);
  await call("getSiteProperties", () => client.siteProperties.getSiteProperties(), (p) =>
    Boolean(p.properties));
  await call("getForm", () => client.forms.getForm(F.form), (f) => f._id);
  await call("getFormSummary", () => client.forms.getFormSummary(F.form), (s) => Boolean(s));

  // -- availability -------------------------------------------------------------------------
  const listed = await call("listAvailabilityTimeSlots", () =>
    client.timeSlots.listAvailabilityTimeSlots({
      serviceId: F.haircut, fromLocalDate: F.from, toLocalDate: F.to, timeZone: F.timeZone,
    }), (r) => r.timeSlots.length);
  const first = listed.timeSlots.find((t) => t.bookable);
  await call("getAvailabilityTimeSlot", () =>
    client.timeSlots.getAvailabilityTimeSlot(F.haircut, first.localStartDate, first.localEndDate,
        F.timeZone, { locationType: "BUSINESS", _id: first.location._id }), (r) => Boolean(r.timeSlot));
  const events = await call("listEventTimeSlots", () =>
    client.eventTimeSlots.listEventTimeSlots({
      fromLocalDate: F.from, toLocalDate: F.to, timeZone: F.timeZone, serviceIds: [F.yoga],
    }), (r) => r.timeSlots.length);
  await call("getEventTimeSlot", () =>
    client.eventTimeSlots.getEventTimeSlot(events.timeSlots[0].eventInfo.eventId,
      { timeZone: F.timeZone }), (r) => Boolean(r.timeSlot));
  const chain = await call("listMultiServiceAvailabilityTimeSlots", () =>
    client.multiServiceSlots.listMultiServiceAvailabilityTimeSlots({
      services: [{ serviceId: F.haircut }, { serviceId: F.massage }],
        fromLocalDate: F.from, toLocalDate: F.to, timeZone: F.timeZone,
        location: { locationType: "BUSINESS", _id: F.location },
    }), (r) => r.timeSlots.length);
  // A Tuesday chain: far enough ahead for every booking policy of the two services.
  const link = chain.timeSlots.find((t) => t.localStartDate.startsWith("2026-03-03T1"));
  await call("getMultiServiceAvailabilityTimeSlot", () =>
    client.multiServiceSlots.getMultiServiceAvailabilityTimeSlot(
      link.nestedTimeSlots.map((n) => ({ serviceId: n.serviceId })), link.localStartDate,
        link.localEndDate, F.timeZone, { locationType: "BUSINESS", _id: F.location }),
    (r) => Boolean(r.timeSlot));

  // -- bookings -----------------------------------------------------------------------------
  function bookingAt(slot) {
    return { bookedEntity: { slot }, totalParticipants: 1, contactDetails: contact };
  }
  // Appointments an hour apart, so no two of them (with buffers) clash.
  const hourly = (slots) => slots.filter((s) => s.startDate.endsWith(":00:00"));
  const haircuts = hourly(await bookable(F.haircut));
  const consultations = hourly(await bookable(F.consultation));
  const createdOne = await call("createBooking", () =>
    client.bookings.createBooking(bookingAt(haircuts[0]), { formSubmission: form }),
    (r) => r.booking.status);
  const one = createdOne?.booking;
  await call("queryExtendedBookings", () =>
    client.extendedBookings.queryExtendedBookings().find(), (r) => r.items.length);
  await call("countExtendedBookings", () => client.extendedBookings.countExtendedBookings({}),
    (r) => r.count);
  await call("bulkCalculateAllowedActions", () =>
    client.bookings.bulkCalculateAllowedActions([one._id]), (r) => r.results.length);
  const rescheduled = await call("rescheduleBooking", () =>
    client.bookings.rescheduleBooking(one._id, haircuts[2], { revision: one.revision }),
    (r) => r.booking.revision);
  await call("refusal:staleRevision", () =>
    client.bookings.cancelBooking(one._id, { revision: one.revision }));
  await call("cancelBooking", () =>
    client.bookings.cancelBooking(one._id, { revision: rescheduled.booking.revision }),
    (r) => r.booking.status);
  await call("refusal:unknownBooking", () =>
    client.bookings.confirmOrDeclineBooking(F.unknownId, {}));

  const pending = (await call("createBooking:manualApproval", () =>
    client.bookings.createBooking(bookingAt(consultations[0]), { formSubmission: form }),
    (r) => r.booking.status))?.booking;
  await call("confirmOrDeclineBooking", () => client.bookings.confirmOrDeclineBooking(pending._id, {}),
    (r) => r.booking.status);
  await call("refusal:confirmOrDeclineAgain", () =>
    client.bookings.confirmOrDeclineBooking(pending._id, {}));
  const bulk = await call("bulkCreateBooking", () =>
    client.bookings.bulkCreateBooking([
      { booking: bookingAt(haircuts[4]), formSubmission: form },
      { booking: bookingAt(haircuts[6]), formSubmission: form },
    ], { returnFullEntity: true }), (r) => r.results.length);
  const [a, b] = bulk.results.map((r) => r.item);
  await call("bulkConfirmOrDeclineBooking", () =>
    client.bookings.bulkConfirmOrDeclineBooking([{ bookingId: a._id }], {}),
    (r) => r.results.length);
  await call("confirmBooking", () => client.bookings.confirmBooking(b._id, b.revision, {}),
    (r) => r.booking.status);
  const classBooking = (await call("createBooking:class", () =>
    client.bookings.createBooking(
      { bookedEntity: { slot: { eventId: events.timeSlots[0].eventInfo.eventId } },
        totalParticipants: 1, contactDetails: contact },
      { formSubmission: F.yogaForm }), (r) => r.booking.status))?.booking;
  await call("updateNumberOfParticipants", () =>
    client.bookings.updateNumberOfParticipants(classBooking._id,
      { revision: classBooking.revision, totalParticipants: 2 }),
    (r) => r.booking.totalParticipants);
  const toDecline = (await call("createBooking:toDecline", () =>
    client.bookings.createBooking(bookingAt(consultations[2]), { formSubmission: form }),
    (r) => r.booking.status))?.booking;
  await call("declineBooking", () =>
    client.bookings.declineBooking(toDecline._id, toDecline.revision, {}), (r) => r.booking.status);
  const created2 = (await call("createBooking:created", () =>
    client.bookings.createBooking({ ...bookingAt(consultations[4]), status: "CREATED" },
      { formSubmission: form }), (r) => r.booking.status))?.booking;
  await call("markBookingAsPending", () =>
    client.bookings.markBookingAsPending(created2._id, created2.revision, {}),
    (r) => r.booking.status);

  // -- anonymous actions --------------------------------------------------------------------
  const token = (await call("getAnonymousActionToken", () =>
    client.bookings.getAnonymousActionToken(b._id), (r) => Boolean(r.token)))?.token;
  await call("getBookingAnonymously", () => client.bookings.bookingsGetBookingAnonymously(token),
    (r) => r.booking?.status ?? null);
  await call("getServiceAnonymously", () => client.bookings.getServiceAnonymously(token),
    (r) => r.service._id);
  await call("refusal:invalidToken", () =>
    client.bookings.bookingsGetBookingAnonymously("not-a-token"));

  // -- multi-service bookings ---------------------------------------------------------------
  const packaged = await call("createMultiServiceBooking", () =>
    client.bookings.createMultiServiceBooking(
      link.nestedTimeSlots.map((n) => ({
        bookedEntity: { slot: { serviceId: n.serviceId, startDate: n.localStartDate,
          endDate: n.localEndDate, timezone: F.timeZone,
          location: { locationType: "OWNER_BUSINESS", _id: link.location._id }, ...staffOf(n) } },
        totalParticipants: 1, contactDetails: contact,
      })), { formSubmission: F.massageForm }), (r) => r.multiServiceBooking.bookings.length);
  const msbId = packaged?.multiServiceBooking?._id;
  await call("getMultiServiceBooking", () => client.bookings.getMultiServiceBooking(msbId),
    (r) => r.bookings.length);
  await call("bulkGetMultiServiceBookingAllowedActions", () =>
    client.bookings.bulkGetMultiServiceBookingAllowedActions([msbId]), (r) => r.results.length);
  await call("refusal:unknownMultiServiceBooking", () =>
    client.bookings.cancelMultiServiceBooking(F.unknownId, {}));
  await call("cancelMultiServiceBooking", () => client.bookings.cancelMultiServiceBooking(msbId, {}),
    (r) => r.multiServiceBooking.bookings.length);
} catch (error) {
  // A step the next ones needed failed: report it, and what ran, instead of a bare crash.
  results.push({ name: "crash", ok: false, message: String(error?.stack ?? error) });
}

process.stdout.write(JSON.stringify(results));
