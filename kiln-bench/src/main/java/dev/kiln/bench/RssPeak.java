package dev.kiln.bench;

/**
 * The peak resident memory ({@code VmRSS}) of this process while it is open: sampled every 5 ms on
 * a daemon thread.
 *
 * <p>Threading: open and close on one thread; the sampler only writes the peak.
 */
final class RssPeak implements AutoCloseable {
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long peakKb;

    private RssPeak() {
        sampler = new Thread(() -> {
            while (running) {
                peakKb = Math.max(peakKb, ChildProcess.rssKb(ProcessHandle.current()));
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-rss-peak");
        sampler.setDaemon(true);
    }

    static RssPeak start() {
        RssPeak p = new RssPeak();
        p.sampler.start();
        return p;
    }

    double peakMb() {
        return Math.max(peakKb, ChildProcess.rssKb(ProcessHandle.current())) / 1024.0;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.join();
    }
}
