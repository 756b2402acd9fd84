package dev.kiln.bench;

import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcEvent;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Times the TypeScript host's round trips with the Java clock: stamps each event of the bench
 * window on one channel ({@code ping}, or a mark the page sends with each call) as the engine
 * publishes it. The events carry the trip's number {@code s}; two consecutive ones bracket one full
 * trip, wherever the app runs.
 *
 * <p>Threading: one reader thread takes from the window's event stream; {@link #finish} joins it.
 */
final class EventClock {
    private final EventStream events;
    private final String channel;
    private final int total;
    private final int warm;
    private final long[] stamps;
    private final CountDownLatch last = new CountDownLatch(1);
    private final Thread reader;

    /** Starts stamping the events numbered 0 to {@code total}; the first {@code warm} trips are not timed. */
    EventClock(EventStream events, String channel, int total, int warm) {
        this.events = events;
        this.channel = channel;
        this.total = total;
        this.warm = warm;
        this.stamps = new long[total + 1];
        this.reader = new Thread(this::read, "bench-clock-" + channel);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            IpcEvent e;
            while ((e = events.take()) != null) {
                long now = System.nanoTime();
                if (e.channel().equals(channel)) {
                    int s = e.payload().get("s").intValue();
                    if (s >= 0 && s <= total) {
                        stamps[s] = now;
                    }
                    if (s == total) {
                        last.countDown();
                        return;
                    }
                }
            }
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the last event and adds the timed trips, after the warm-up ones, to {@code trips}. */
    void finish(TripTimes trips) throws Exception {
        boolean complete = last.await(30, TimeUnit.SECONDS);
        events.close();
        reader.join(5_000);
        if (!complete) {
            throw new BenchFailure(channel + " clock: the Java clock never saw the last event " + total);
        }
        trips.add(stamps, warm, channel + " clock");
    }
}
