package dev.kiln.ipc;

/**
 * Sees every IPC event of an engine as it happens ({@link Ipc#observe}): sends, deliveries,
 * refusals, drops, system events, call starts and ends, stream steps.
 *
 * <p>Threading: called synchronously on whichever engine thread the event happens on (a sender's
 * thread, the dispatch thread, a page's UI thread, the callback executor), possibly on several at
 * once. It must be thread-safe, fast, and must never block or throw: hand the record to a queue
 * and do the work elsewhere (see {@link IpcTraceFile}).
 */
@FunctionalInterface
public interface IpcObserver {
    void observe(IpcTrace event);
}
