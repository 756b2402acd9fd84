package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.window.ConsoleMessage.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A page's console, uncaught errors and unhandled rejections reach the app, tagged, escaped and rate-limited. */
@ExtendWith(RealWindowExtension.class)
@Timeout(120)
class PageConsoleTest {
    private static Desktop desktop;
    private static final BlockingQueue<ConsoleMessage> RECEIVED = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
        desktop.onConsole(RECEIVED::add);
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    /** The next message of that window, skipping other windows' (each test has its own window). */
    private static ConsoleMessage next(AppWindow w) throws InterruptedException {
        while (true) {
            ConsoleMessage m = RECEIVED.poll(20, TimeUnit.SECONDS);
            assertThat(m).as("a console message from " + w.id()).isNotNull();
            if (m.windowId().equals(w.id())) {
                return m;
            }
        }
    }

    private static AppWindow open() throws Exception {
        return Pages.open(desktop, "app://console.html");
    }

    @Test
    void everyLevelArrivesWithTheCallersScriptLineAndTheAppUrl() throws Exception {
        AppWindow w = open();
        try (LogCapture log = new LogCapture()) {
            Pages.eval(w, "logAll(); 1");
            List<ConsoleMessage> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                got.add(next(w));
            }
            assertThat(got).extracting(ConsoleMessage::level)
                    .containsExactly(Level.DEBUG, Level.LOG, Level.INFO, Level.WARN, Level.ERROR);
            assertThat(got).extracting(ConsoleMessage::text)
                    .containsExactly("d 1", "l {\"a\":1}", "i", "w", "e Error: x");
            assertThat(got).extracting(ConsoleMessage::url).containsOnly("app://console.js");
            assertThat(got).extracting(ConsoleMessage::line).containsExactly(3, 4, 5, 6, 7);
            // JavaScriptCore's column of a call is that of its opening parenthesis
            assertThat(got).extracting(ConsoleMessage::column).containsExactly(16, 14, 15, 15, 16);
            assertThat(got.get(3).format()).isEqualTo("[page " + w.id() + "] warn: w (app://console.js:6:15)");
            // by default the desktop logs them too, through dev.kiln.window.page
            assertThat(log.contains("[page " + w.id() + "] warn: w (app://console.js:6:15)")).isTrue();
        }
        // the page's console still works as before, and so does its bridge
        assertThat(Pages.eval(w, "typeof console.log('still') + ' ' + typeof window.runtime.send")).isEqualTo("\"undefined function\"");
        assertThat(next(w).text()).isEqualTo("still");
        w.close();
    }

    @Test
    void aPageCannotForgeLinesWithControlCharacters() throws Exception {
        AppWindow w = open();
        Pages.eval(w, "forge(); 1");
        ConsoleMessage m = next(w);
        assertThat(m.text()).isEqualTo("real\\n[page main-window] error: forged\\u001B[31m\\u202E");
        assertThat(m.format()).doesNotContain("\n", "\r", "\u001b", "\u202e")
                .startsWith("[page " + w.id() + "] log: real\\n[page main-window]");
        assertThat(m.line()).isEqualTo(9);
        w.close();
    }

    @Test
    void uncaughtExceptionsAndUnhandledRejectionsAreErrors() throws Exception {
        AppWindow w = open();
        Pages.eval(w, "throwLater(); 1");
        ConsoleMessage thrown = next(w);
        assertThat(thrown.level()).isEqualTo(Level.ERROR);
        assertThat(thrown.text()).isEqualTo("Uncaught Error: boom");
        assertThat(thrown.url()).isEqualTo("app://console.js");
        assertThat(thrown.line()).isEqualTo(11);
        assertThat(thrown.column()).isPositive();

        Pages.eval(w, "rejectLater(); 1");
        ConsoleMessage rejected = next(w);
        assertThat(rejected.level()).isEqualTo(Level.ERROR);
        assertThat(rejected.text()).isEqualTo("Unhandled promise rejection: Error: nope");
        assertThat(rejected.url()).isEqualTo("app://console.js");
        assertThat(rejected.line()).isEqualTo(12);
        w.close();
    }

    @Test
    void longMessagesAreCutWithANote() throws Exception {
        AppWindow w = open();
        Pages.eval(w, "longText(20000); 1");
        ConsoleMessage m = next(w);
        assertThat(m.text()).startsWith("x".repeat(PageConsole.MAX_CHARS) + " ...")
                .endsWith("[truncated: longer than " + PageConsole.MAX_CHARS + " characters]")
                .hasSizeLessThan(PageConsole.MAX_CHARS + 100);
        w.close();
    }

    /**
     * At most 100 lines per second and window; the rest are counted, and the count is reported as
     * one line when that second ends (whether or not the page writes again).
     */
    @Test
    void aFloodIsCutToTheRateLimitAndTheRestIsCounted() throws Exception {
        AppWindow w = open();
        int total = 250;
        Pages.eval(w, "flood(" + total + "); 1");
        int passed = 0;
        int suppressed = 0;
        List<String> order = new ArrayList<>();
        while (passed + suppressed < total) {
            ConsoleMessage m = next(w);
            order.add(m.text());
            if (m.text().startsWith("flood ")) {
                assertThat(m.text()).isEqualTo("flood " + (passed + suppressed));
                passed++;
            } else {
                assertThat(m.level()).isEqualTo(Level.WARN);
                assertThat(m.text()).matches("suppressed \\d+ console messages \\(more than 100 in one second\\)");
                suppressed += Integer.parseInt(m.text().split(" ")[1]);
            }
        }
        assertThat(passed + suppressed).isEqualTo(total);
        // the page's loop makes far more than 100 calls within its first second, so some were cut
        assertThat(suppressed).isPositive();
        assertThat(order.subList(0, PageConsole.MAX_PER_SECOND))
                .allSatisfy(t -> assertThat(t).startsWith("flood "));
        w.close();
    }

    @Test
    void withThePageConsoleOffPagesKeepTheirOwnConsole() throws Exception {
        Desktop quiet = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false)
                .withPageConsole(false));
        try {
            AppWindow w = Pages.open(quiet, "app://console.html");
            assertThat(Pages.eval(w, "String(console.log).indexOf('[native code]') >= 0"
                    + " && String(console.error).indexOf('[native code]') >= 0")).isEqualTo("true");
            assertThat(Pages.eval(w, "typeof window.runtime.send")).isEqualTo("\"function\"");
        } finally {
            quiet.close();
        }
        // and with it on (this class's desktop), the same functions are Kiln's
        AppWindow w = open();
        assertThat(Pages.eval(w, "String(console.log).indexOf('[native code]') >= 0")).isEqualTo("false");
        w.close();
    }

    @Test
    void printableEscapesControlsAndCutsWholeCharacters() {
        assertThat(PageConsole.printable("a\tb\u0000c\u007f\u0085\u2028", 100)).isEqualTo("a\\tb\\u0000c\\u007F\\u0085\\u2028");
        assertThat(PageConsole.printable("ab\uD83D\uDE00", 3)).isEqualTo("ab ... [truncated: longer than 3 characters]");
    }
}
