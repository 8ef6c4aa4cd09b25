// Every GraphQL operation the app sends, in one place (see schema.graphql for the fields).
// Outcomes are unions: each operation asks for `__typename` and the fields of each member.
import { gql } from "@urql/core";

const SLOT = gql`
  fragment Slot on TimeSlot {
    localStart
    localEnd
    timeZone
    eventId
    remainingCapacity
    resources { id name }
    location { id name }
  }
`;

const BOOKING = gql`
  fragment Booking on Booking {
    id
    status
    start
    end
    contact { firstName lastName email }
    service { id name type }
    slot { timeZone resource { name } location { name } }
    schedule { timeZone firstSessionStart lastSessionEnd }
  }
`;

export const SERVICES = gql`
  query Services {
    services(filter: { hidden: false }, first: 50) {
      nodes {
        id
        name
        type
        tagLine
        durationMinutes
        formId
        payment { rateType price { value currency } }
        onlineBooking { enabled }
      }
    }
  }
`;

export const FORM = gql`
  query BookingForm($id: ID!) {
    form(id: $id) {
      id
      fields { target label type required hidden options { label value } }
    }
  }
`;

// `from`/`to` left out: the gateway lists from its "now" to seven days ahead, in the site's
// time zone, so the page never depends on the browser's clock or zone.
export const APPOINTMENT_SLOTS = gql`
  query AppointmentSlots($serviceId: ID!, $after: String) {
    timeSlots(serviceId: $serviceId, bookable: true, first: 100, after: $after) {
      nodes { ...Slot }
      pageInfo { hasNextPage endCursor }
    }
  }
  ${SLOT}
`;

export const CLASS_SESSIONS = gql`
  query ClassSessions($serviceId: ID!, $after: String) {
    eventTimeSlots(serviceIds: [$serviceId], bookable: true, first: 100, after: $after) {
      nodes { ...Slot }
      pageInfo { hasNextPage endCursor }
    }
  }
  ${SLOT}
`;

// The failures every booking mutation shares, then each mutation's own.
const FAILURES = `
  ... on FormInvalid { message fieldErrors { target message } }
  ... on PolicyViolation { message tooEarly tooLate onlineBookingDisabled earliestBookingDate }
  ... on NotAllowed { message reason }
  ... on NotFound { message }
  ... on IdempotencyKeyReused { message }
`;

export const BOOK_APPOINTMENT = gql`
  mutation BookAppointment($input: BookAppointmentInput!) {
    bookAppointment(input: $input) {
      __typename
      ... on BookingCreated { booking { ...Booking } }
      ... on SlotUnavailable { message alternatives { ...Slot } }
      ${FAILURES}
    }
  }
  ${BOOKING}
  ${SLOT}
`;

export const BOOK_CLASS_SESSION = gql`
  mutation BookClassSession($input: BookClassSessionInput!) {
    bookClassSession(input: $input) {
      __typename
      ... on BookingCreated { booking { ...Booking } }
      ... on ClassFull { message remaining waitingListAvailable }
      ${FAILURES}
    }
  }
  ${BOOKING}
`;

export const BOOK_COURSE = gql`
  mutation BookCourse($input: BookCourseInput!) {
    bookCourse(input: $input) {
      __typename
      ... on BookingCreated { booking { ...Booking } }
      ... on CourseFull { message remaining capacity }
      ${FAILURES}
    }
  }
  ${BOOKING}
`;

// Anonymous links: the token is the credential, no Authorization header.
export const ANONYMOUS_BOOKING = gql`
  query AnonymousBooking($token: String!) {
    anonymousBooking(token: $token) {
      booking { ...Booking }
      allowedAnonymousActions { cancel reschedule }
    }
  }
  ${BOOKING}
`;

export const CANCEL_ANONYMOUSLY = gql`
  mutation CancelAnonymously($token: String!, $idempotencyKey: String) {
    cancelBookingAnonymously(token: $token, idempotencyKey: $idempotencyKey) {
      __typename
      ... on BookingUpdated { booking { ...Booking } }
      ... on InvalidAnonymousToken { message }
      ... on NotAllowed { message reason }
      ... on RevisionConflict { message }
      ... on IdempotencyKeyReused { message }
    }
  }
  ${BOOKING}
`;

export const RESCHEDULE_ANONYMOUSLY = gql`
  mutation RescheduleAnonymously($token: String!, $newSlot: SlotInput!, $idempotencyKey: String) {
    rescheduleBookingAnonymously(token: $token, newSlot: $newSlot, idempotencyKey: $idempotencyKey) {
      __typename
      ... on BookingUpdated { booking { ...Booking } }
      ... on SlotUnavailable { message alternatives { ...Slot } }
      ... on PolicyViolation { message tooEarly tooLate onlineBookingDisabled earliestBookingDate }
      ... on NotFound { message }
      ... on InvalidAnonymousToken { message }
      ... on NotAllowed { message reason }
      ... on RevisionConflict { message }
      ... on IdempotencyKeyReused { message }
    }
  }
  ${BOOKING}
  ${SLOT}
`;

// The business's view (Authorization: Bearer <admin key>).
export const BOOKINGS = gql`
  query Bookings($filter: BookingFilter) {
    bookings(filter: $filter, sort: START_ASC, first: 50) {
      nodes { ...Booking doubleBooked allowedActions { cancel reschedule } }
      pageInfo { hasNextPage }
    }
    doubleBookedBookings(first: 50) {
      nodes { ...Booking allowedActions { cancel reschedule } }
    }
  }
  ${BOOKING}
`;

export const CREATE_ANONYMOUS_LINK = gql`
  mutation CreateAnonymousLink($bookingId: ID!) {
    createAnonymousLink(bookingId: $bookingId) {
      __typename
      ... on AnonymousLink { token allowedAnonymousActions { cancel reschedule } }
      ... on NotFound { message }
      ... on NotAllowed { message reason }
    }
  }
`;

export const CANCEL_BOOKING = gql`
  mutation CancelBooking($input: CancelBookingInput!) {
    cancelBooking(input: $input) {
      __typename
      ... on BookingUpdated { booking { ...Booking } }
      ... on RevisionConflict { message }
      ... on NotAllowed { message reason }
      ... on NotFound { message }
      ... on IdempotencyKeyReused { message }
    }
  }
  ${BOOKING}
`;

export const RESOLVE_DOUBLE_BOOKING = gql`
  mutation ResolveDoubleBooking($bookingId: ID!, $strategy: DoubleBookingStrategy!, $idempotencyKey: String) {
    resolveDoubleBooking(bookingId: $bookingId, strategy: $strategy, idempotencyKey: $idempotencyKey) {
      __typename
      ... on DoubleBookingResolved { strategy note booking { ...Booking } }
      ... on AlreadyResolved { message booking { ...Booking } }
      ... on SlotUnavailable { message }
      ... on PolicyViolation { message }
      ... on NotAllowed { message reason }
      ... on NotFound { message }
      ... on RevisionConflict { message }
      ... on IdempotencyKeyReused { message }
    }
  }
  ${BOOKING}
`;
