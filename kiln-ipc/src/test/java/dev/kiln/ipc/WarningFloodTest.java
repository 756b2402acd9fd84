package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A page that sends bad input in a loop cannot flood the log; every message is still counted. */
@Timeout(60)
class WarningFloodTest {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger jul = Logger.getLogger("dev.kiln.ipc");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                lines.add(r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        jul.addHandler(capture);
    }

    @AfterEach
    void release() {
        jul.removeHandler(capture);
    }

    @Test
    void tenThousandDeniedSendsMakeAFewLogLinesAndExactCounts() throws Exception {
        try (Ipc ipc = Ipc.create(IpcConfig.builder().policy(new ChannelPolicy(List.of("*"), List.of("admin:*"))).build())) {
            InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
            EventStream events = ipc.windowEvents();
            for (int i = 0; i < 10_000; i++) {
                page.link.receive("[{\"c\":\"admin:wipe\"},{\"c\":\"bad\",\"p\":nope}]");
            }
            page.send("done", null);
            assertThat(events.poll(java.time.Duration.ofSeconds(30)).channel()).isEqualTo("done");
            IpcStats stats = ipc.stats();
            assertThat(stats.inboundDenied()).isEqualTo(10_000);
            assertThat(stats.inboundMalformed()).isEqualTo(10_000);
            assertThat(stats.warningsSuppressed()).isEqualTo(20_000 - 2 * WarningLimiter.BURST);
            assertThat(lines).hasSize(2 * WarningLimiter.BURST);
            assertThat(lines).filteredOn(l -> l.startsWith("[7004] Dropped a message from window w on denied channel 'admin:wipe'"))
                    .hasSize(WarningLimiter.BURST);
            assertThat(lines).filteredOn(l -> l.startsWith("[7001] Dropped input from window w: malformed message: the message is not valid JSON"))
                    .hasSize(WarningLimiter.BURST);
            ipc.shutdown();
            ipc.terminated().get(10, java.util.concurrent.TimeUnit.SECONDS);
            await().until(() -> lines.stream().anyMatch(l -> l.startsWith("Suppressed 9990 similar warnings (7004 denied channel)")));
            assertThat(lines).anyMatch(l -> l.startsWith("Suppressed 9990 similar warnings (7001 refused input)"));
        }
    }

    @Test
    void aCallbackThatThrowsOnEveryEventStillSeesEveryEventAndLogsAFewTimes() throws Exception {
        try (Ipc ipc = Ipc.create()) {
            InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            ipc.onChannel("tick", (payload, windowId) -> {
                calls.incrementAndGet();
                throw new IllegalStateException("app bug " + payload.asInt());
            });
            for (int i = 0; i < 1_000; i++) {
                page.send("tick", i);
            }
            await().until(() -> calls.get() == 1_000);
            await().until(() -> ipc.stats().warningsSuppressed() == 1_000 - WarningLimiter.BURST);
            assertThat(lines).filteredOn(l -> l.equals("A Kiln event callback threw")).hasSize(WarningLimiter.BURST);
        }
    }

    @Test
    void afterEachIntervalTheSuppressedOnesAreSummedUpAndTheNextOnesShow() {
        List<String> logged = new CopyOnWriteArrayList<>();
        AtomicLong now = new AtomicLong(1_000);
        WarningLimiter limiter = new WarningLimiter(recorder(logged), now::get, 100);
        for (int i = 0; i < 25; i++) {
            limiter.warn("kind", "message " + i);
        }
        assertThat(logged).hasSize(WarningLimiter.BURST).last().isEqualTo("message 9");
        now.addAndGet(100);
        limiter.warn("kind", "message 25");
        limiter.warn("other", "other 0");
        assertThat(logged.subList(WarningLimiter.BURST, logged.size())).containsExactly(
                "Suppressed 15 similar warnings (kind) after the first 10 in 0 s; see Ipc.stats()", "message 25", "other 0");
        assertThat(limiter.suppressed()).isEqualTo(15);
        limiter.flush();
        assertThat(logged).hasSize(WarningLimiter.BURST + 3); // nothing pending
    }

    @Test
    void pageTextIsMadeSafeForALogLine() {
        assertThat(WarningLimiter.clean("a\nb\u0000c\u2028d\u009b")).isEqualTo("a\\u000ab\\u0000c\\u2028d\\u009b");
        assertThat(WarningLimiter.clean("x".repeat(10_000))).hasSize(WarningLimiter.MAX_TEXT + " ... (9500 more characters)".length() - 1);
    }

    private static System.Logger recorder(List<String> logged) {
        return new System.Logger() {
            @Override
            public String getName() {
                return "test";
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
                logged.add(msg);
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
                logged.add(format);
            }
        };
    }
}
