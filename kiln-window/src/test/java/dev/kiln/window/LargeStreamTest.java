package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ipc.Subscription;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A 1 GiB stream in 1 MiB chunks from a Java producer to a deliberately slow page: every byte
 * arrives, in order, and the host's memory stays flat because the producer is pulled only as far as
 * the page reads.
 */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class LargeStreamTest {
    private static final int CHUNK = 1 << 20;
    private static final int CHUNKS = 1024;
    private static Desktop desktop;

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    /** Chunk k is CHUNK bytes of value k & 255; made on demand, never held. */
    static final class Chunks implements Flow.Publisher<byte[]> {
        final AtomicLong made = new AtomicLong();

        @Override
        public void subscribe(Flow.Subscriber<? super byte[]> s) {
            s.onSubscribe(new Flow.Subscription() {
                int next;
                boolean done;

                @Override
                public synchronized void request(long n) {
                    for (long i = 0; i < n && !done; i++) {
                        if (next == CHUNKS) {
                            done = true;
                            s.onComplete();
                            return;
                        }
                        byte[] chunk = new byte[CHUNK];
                        java.util.Arrays.fill(chunk, (byte) next);
                        next++;
                        made.incrementAndGet();
                        s.onNext(chunk);
                    }
                }

                @Override
                public synchronized void cancel() {
                    done = true;
                }
            });
        }
    }

    @Test
    void aGibibyteStreamsToASlowPageWithFlatHostMemory() throws Exception {
        Chunks chunks = new Chunks();
        List<long[]> samples = new ArrayList<>(); // [chunks read by the page, heap after GC, RSS]
        try (Subscription h = desktop.ipc().handleStream("file", (p, ctx) -> chunks)) {
            AppWindow w = Pages.open(desktop, "app://echo.html");
            try {
                // the page checks each chunk's bytes, and waits 2 ms per chunk: slower than the host
                Pages.eval(w, "window.got = { chunks: 0, bytes: 0, bad: 0, done: false }; (async () => {"
                        + " for await (const c of runtime.stream('file', null, { highWaterMark: 4 })) {"
                        + "   const want = got.chunks & 255; if (!(c instanceof Uint8Array) || c[0] !== want || c[c.length - 1] !== want) got.bad++;"
                        + "   got.chunks++; got.bytes += c.length; await new Promise((r) => setTimeout(r, 2)); }"
                        + " got.done = true; })(); 1");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(500);
                long read = 0;
                while (read < CHUNKS && System.nanoTime() < deadline) {
                    Thread.sleep(2000);
                    read = Long.parseLong(Pages.eval(w, "got.chunks"));
                    if (read > 64) {
                        samples.add(new long[] {read, heapAfterGc(), rss()});
                    }
                    // the producer never runs ahead of the page by more than its credit (4), plus what is on its way
                    assertThat(chunks.made.get() - read).isLessThanOrEqualTo(4 + 4);
                }
                Pages.awaitEval(w, "got.done", "true");
                assertThat(Pages.eval(w, "[got.chunks, got.bytes, got.bad]")).isEqualTo("[1024,1073741824,0]");
            } finally {
                w.close();
            }
        }
        assertThat(samples).hasSizeGreaterThan(3);
        long[] first = samples.get(0);
        long[] last = samples.get(samples.size() - 1);
        System.out.printf("1 GiB stream: page read %d -> %d chunks; heap after GC %d -> %d MiB; RSS %d -> %d MiB%n",
                first[0], last[0], first[1] >> 20, last[1] >> 20, first[2] >> 20, last[2] >> 20);
        long maxHeap = samples.stream().mapToLong(s -> s[1]).max().orElseThrow();
        long maxRss = samples.stream().mapToLong(s -> s[2]).max().orElseThrow();
        assertThat(maxHeap - first[1]).as("heap growth").isLessThan(64L << 20);
        assertThat(maxRss - first[2]).as("RSS growth").isLessThan(256L << 20);
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long rss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }
}
