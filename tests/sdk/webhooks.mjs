// The official Wix JS SDK as the receiver of the sandbox's webhooks: `client.webhooks.process`
// verifies each JWT with the sandbox's public key (AppStrategy) and runs the handler registered
// for its event type (tests/sdk/test_sdk_webhooks.py). Reads {publicKey, nowMs, tokens} as JSON
// on stdin; prints one JSON array: {ok, eventType?, instanceId?, identity?, handled?, error?}
// per token.
//
// The tokens were signed at the sandbox's business time (a frozen clock), so the SDK runs at that
// instant too: `Date` reads `nowMs`, as the Python suite's time is given, never read.
import { createClient, AppStrategy } from "@wix/sdk";
import * as bookings from "@wix/auto_sdk_bookings_bookings";
import * as services from "@wix/auto_sdk_bookings_services";

const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => { text += chunk; });
  process.stdin.on("end", () => resolve(text));
}));

const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(input.nowMs);
    else super(...args);
  }
  static now() { return input.nowMs; }
};

const client = createClient({
  auth: AppStrategy({ appId: "sandbox-app", publicKey: input.publicKey }),
  modules: { bookings, services },
});

// What each handler saw, as the SDK handed it over (renamed keys, Dates for timestamps).
let handled = null;
const seen = (kind) => (event) => {
  const entity = event.entity ?? event.data?.booking;
  handled = {
    kind,
    entityId: entity?._id ?? null,
    status: entity?.status ?? null,
    doubleBooked: event.data?.doubleBooked ?? null,
    previousStartDate: event.data?.previousStartDate?.toISOString?.() ?? null,
    metadataEntityId: event.metadata?.entityId ?? null,
    eventTime: event.metadata?.eventTime?.toISOString?.() ?? null,
    instanceId: event.metadata?.instanceId ?? null,
    identityType: event.metadata?.identity?.identityType ?? null,
  };
};
client.bookings.onBookingCreated(seen("created"));
client.bookings.onBookingConfirmed(seen("confirmed"));
client.bookings.onBookingRescheduled(seen("rescheduled"));
client.bookings.onBookingCanceled(seen("canceled"));
client.services.onServiceUpdated(seen("serviceUpdated"));

const results = [];
for (const token of input.tokens) {
  handled = null;
  try {
    const processed = await client.webhooks.process(token);
    results.push({
      ok: true,
      eventType: processed.eventType,
      instanceId: processed.instanceId,
      identity: processed.identity,
      handled,
    });
  } catch (error) {
    results.push({ ok: false, error: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(results));
