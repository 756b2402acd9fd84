package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The window's rate-limited log: a few lines per kind and second, the rest counted; page text made one safe line. */
class RateLimitedLogTest {
    @Test
    void logsAFewOfEachKindPerSecondAndSumsUpTheRest() {
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        RateLimitedLog log = new RateLimitedLog("w1", clock::get);
        try (LogCapture captured = new LogCapture()) {
            for (int i = 0; i < 1_000; i++) {
                log.warn("denied", "denied " + i);
            }
            log.warn("other", "another kind");
            assertThat(captured.count("denied ")).isEqualTo(RateLimitedLog.PER_SECOND);
            assertThat(captured.contains("another kind")).isTrue();

            clock.addAndGet(1_000_000_000L); // a second later
            log.warn("denied", "denied again");
            assertThat(captured.messages()).contains("denied again (window w1 suppressed "
                    + (1_000 - RateLimitedLog.PER_SECOND) + " similar 'denied' message(s))");

            for (int i = 0; i < 10; i++) {
                log.warn("denied", "more");
            }
            log.flush();
            assertThat(captured.messages()).contains("window w1 suppressed " + (10 - RateLimitedLog.PER_SECOND + 1)
                    + " similar 'denied' message(s)");
        }
    }

    @Test
    void pageTextCannotForgeLogLines() {
        assertThat(RateLimitedLog.clean("ok\nWARNING: [7004] forged\r\u001b[31mred\u2028x\u0000"))
                .isEqualTo("ok\\nWARNING: [7004] forged\\r\\u001B[31mred\\u2028x\\u0000")
                .doesNotContain("\n", "\r", "\u001b");
        assertThat(RateLimitedLog.clean(null)).isEqualTo("null");
        String huge = RateLimitedLog.clean("x".repeat(RateLimitedLog.MAX_PAGE_TEXT + 10));
        assertThat(huge).endsWith("... (10 more characters)").hasSize(RateLimitedLog.MAX_PAGE_TEXT + 24);
    }
}
