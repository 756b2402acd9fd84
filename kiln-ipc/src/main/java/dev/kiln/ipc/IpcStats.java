package dev.kiln.ipc;

/**
 * A snapshot of the engine's counters.
 *
 * @param eventsReceived    events accepted from renderers and system events
 * @param eventsDelivered   hand-offs of an event to a subscriber (one event to three subscribers counts three)
 * @param eventsDropped     events lost: backlog overflow plus subscriber buffer overflow; each drop is also logged
 * @param inboundDenied     page messages dropped by the channel policy
 * @param inboundMalformed  page messages dropped as malformed or oversized
 * @param messagesSent      messages renderers took
 * @param batchesSent       batches renderers took; {@code messagesSent / batchesSent} is the batching factor
 * @param backlogSize       events waiting for a first subscriber
 * @param subscribers       active subscriptions
 * @param warningsSuppressed per-message warnings (denied or refused input) counted but not logged in
 *                          full: past the first few of a kind in an interval, they are summed up in
 *                          one "suppressed" line
 */
public record IpcStats(long eventsReceived, long eventsDelivered, long eventsDropped, long inboundDenied,
                       long inboundMalformed, long messagesSent, long batchesSent, int backlogSize,
                       int subscribers, long warningsSuppressed) {
}
