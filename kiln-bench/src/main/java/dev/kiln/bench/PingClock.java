package dev.kiln.bench;

import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcEvent;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Times the TypeScript host's round trips with the Java clock: stamps each {@code ping} of the
 * bench window as the engine publishes it. Two consecutive pings bracket one full trip (the app's
 * reply, the page's handler, the page's next ping), wherever the app runs.
 *
 * <p>Threading: one reader thread takes from the window's event stream; {@link #finish} joins it.
 */
final class PingClock {
    private final EventStream events;
    private final int total;
    private final int warm;
    private final long[] stamps;
    private final CountDownLatch last = new CountDownLatch(1);
    private final Thread reader;

    PingClock(EventStream events, int total, int warm) {
        this.events = events;
        this.total = total;
        this.warm = warm;
        this.stamps = new long[total + 1];
        this.reader = new Thread(this::read, "bench-ping-clock");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            IpcEvent e;
            while ((e = events.take()) != null) {
                long now = System.nanoTime();
                if (e.channel().equals("ping")) {
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

    /** p50 and p99 of the timed trips in microseconds, after the warm-up ones. */
    double[] finish() throws Exception {
        boolean complete = last.await(30, TimeUnit.SECONDS);
        events.close();
        reader.join(5_000);
        if (!complete) {
            throw new BenchFailure("round trip: the Java clock never saw the last ping " + total);
        }
        int n = total - warm;
        long[] trips = new long[n];
        for (int i = 0; i < n; i++) {
            long a = stamps[warm + i];
            long b = stamps[warm + i + 1];
            if (a == 0 || b == 0) {
                throw new BenchFailure("round trip: ping " + (a == 0 ? warm + i : warm + i + 1) + " was never seen");
            }
            trips[i] = b - a;
        }
        Arrays.sort(trips);
        return new double[] {Math.round(trips[n / 2] / 100.0) / 10.0,
                Math.round(trips[Math.min(n - 1, (int) (n * 0.99))] / 100.0) / 10.0};
    }
}
