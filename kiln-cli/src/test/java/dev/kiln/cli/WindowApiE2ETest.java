package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * runtime:window from a TypeScript app through {@code ./kiln run}, on the test's display under a real
 * window manager (openbox): the window-api fixture (kiln-cli/src/test/fixtures/window-api). Its page
 * is written as Forge pages are ({@code window.host}) and asks for each step with
 * {@code window.host.emit("step", name)}; the app runs it on its window and prints
 * {@code result <name> <JSON>}; the test reads the result and the window's state in the X server
 * (xprop, xdotool). Needs openbox, xdotool and xprop.
 */
@Tag("e2e")
@Timeout(300)
class WindowApiE2ETest {
    private static final String APP = "kiln-cli/src/test/fixtures/window-api";
    private static final String TITLE = "window-api-renamed";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theWindowHandleFromTypeScriptInARealWindow() throws Exception {
        for (String tool : List.of("openbox", "xdotool", "xprop")) {
            assertThat(onPath(tool)).as(tool + " is needed: apt-get install openbox xdotool x11-utils").isTrue();
        }
        assertThat(System.getenv("DISPLAY")).as("runs on the test's display (./kiln test starts Xvfb)").isNotBlank();
        Process wm = new ProcessBuilder("openbox").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (KilnProcess kiln = KilnProcess.runOnDisplay(APP, System.getenv("DISPLAY"))) {
            kiln.command("wait-ready main 60000");

            JsonNode basics = step(kiln, "basics");
            assertThat(basics.get("allPromises").asBoolean()).as("every handle method returns a promise").isTrue();
            assertThat(basics.get("title").asText()).isEqualTo(TITLE);
            assertThat(basics.get("size").toString()).isEqualTo("{\"width\":420,\"height\":330}");
            assertThat(basics.get("position").toString()).isEqualTo("{\"x\":60,\"y\":70}");
            assertThat(basics.get("visible").asBoolean()).isTrue();
            assertThat(basics.get("resizable").asBoolean()).isTrue();
            assertThat(basics.get("decorations").asBoolean()).isTrue();
            String[] screen = run("xdotool", "getdisplaygeometry").trim().split(" ");
            assertThat(basics.get("monitors").toString()).isEqualTo("[{\"size\":{\"width\":" + screen[0] + ",\"height\":"
                    + screen[1] + "},\"isPrimary\":true,\"scaleFactor\":1}]");
            assertThat(basics.get("closeUnknown").asBoolean()).isFalse();
            assertThat(basics.get("badSize").asText()).isEqualTo("7000 [7000] width must be a positive number, got 0");
            assertThat(basics.get("badFlag").asText()).isEqualTo("7000 [7000] fullscreen must be true or false, got \"yes\"");
            awaitX(() -> outerSize(), "420x330"::equals); // the X window plus openbox's frame

            assertThat(step(kiln, "maximize").get("maximized").asBoolean()).isTrue();
            awaitX(() -> netWmState(), s -> s.contains("_NET_WM_STATE_MAXIMIZED_VERT") && s.contains("_NET_WM_STATE_MAXIMIZED_HORZ"));
            // A state is reported once it has been steady for 150 ms (GTK passes through steps), so each
            // change waits for the event of the one before; else they fold into one report, or none.
            awaitEvents(kiln, "[\"maximize\"]");
            JsonNode unmax = step(kiln, "unmaximize");
            assertThat(unmax.get("maximized").asBoolean()).isFalse();
            assertThat(unmax.get("size").toString()).isEqualTo("{\"width\":420,\"height\":330}");
            awaitX(() -> netWmState(), s -> !s.contains("_NET_WM_STATE_MAXIMIZED"));
            awaitEvents(kiln, "[\"maximize\",\"restore\"]");

            JsonNode min = step(kiln, "minimize");
            assertThat(min.get("minimized").asBoolean()).as(min.toString()).isTrue();
            assertThat(min.get("later").asBoolean()).as("still minimized once the window system has answered").isTrue();
            awaitX(() -> netWmState(), s -> s.contains("_NET_WM_STATE_HIDDEN"));
            awaitEvents(kiln, "[\"maximize\",\"restore\",\"minimize\"]");
            assertThat(step(kiln, "restore").get("minimized").asBoolean()).isFalse();
            awaitX(() -> netWmState(), s -> !s.contains("_NET_WM_STATE_HIDDEN"));

            assertThat(step(kiln, "fullscreen").get("fullscreen").asBoolean()).isTrue();
            awaitX(() -> netWmState(), s -> s.contains("_NET_WM_STATE_FULLSCREEN"));
            assertThat(step(kiln, "windowed").get("fullscreen").asBoolean()).isFalse();
            awaitX(() -> netWmState(), s -> !s.contains("_NET_WM_STATE_FULLSCREEN"));

            assertThat(step(kiln, "undecorated").get("decorations").asBoolean()).isFalse();
            awaitX(() -> frameExtents(), f -> f.contains("= 0, 0, 0, 0"));
            assertThat(step(kiln, "decorated").get("decorations").asBoolean()).isTrue();
            awaitX(() -> frameExtents(), f -> f.matches("(?s).*= [1-9].*"));

            JsonNode onTop = step(kiln, "on-top");
            assertThat(onTop.get("onTop").asBoolean()).isTrue();
            assertThat(onTop.get("resizable").asBoolean()).isFalse();
            awaitX(() -> netWmState(), s -> s.contains("_NET_WM_STATE_ABOVE"));

            JsonNode eval = step(kiln, "eval");
            assertThat(eval.get("sum").asInt()).isEqualTo(42);
            assertThat(eval.get("object").toString()).isEqualTo("{\"title\":\"window api\",\"list\":[1,\"two\"]}");
            assertThat(eval.get("color").asText()).isEqualTo("rgb(1, 2, 3)");
            assertThat(eval.get("thrown").asText()).startsWith("7009 [7009] Script failed in window main").contains("page says no");

            // window.host: the app's message reaches host.on, the page answers with host.send
            kiln.command("eval main step('ping'), 1");
            assertThat(kiln.result("pong", WAIT).toString()).isEqualTo("{\"got\":7}");
            // emit calls the page's own listeners too
            assertThat(kiln.command("eval main window.host.emit('local', { a: 1 }), window.localSeen")).isEqualTo("[{\"a\":1}]");

            JsonNode callbacks = step(kiln, "callbacks");
            assertThat(callbacks.get("resized").asBoolean()).as("onResize got the new size").isTrue();
            assertThat(callbacks.get("afterOff").asBoolean()).as("nothing after unsubscribing").isFalse();
            assertThat(callbacks.get("moved").asBoolean()).isTrue();

            kiln.command("eval main step('close'), 1");
            JsonNode close = kiln.result("close", WAIT);
            assertThat(close.get("closedOther").asBoolean()).isTrue();
            assertThat(close.get("again").asBoolean()).isFalse();
            assertThat(close.get("events").toString()).as("the system events, each on the channel of its type, and none of the page's messages")
                    .isEqualTo("[\"maximize\",\"restore\",\"minimize\",\"restore\"]");
            JsonNode closed = kiln.result("closed", WAIT);
            assertThat(closed.get("first").asBoolean()).isTrue();
            assertThat(closed.get("second").asBoolean()).isFalse();
            assertThat(closed.get("isClosed").asBoolean()).isTrue();
            assertThat(closed.get("title").asText()).isEqualTo(TITLE);
            assertThat(closed.get("thenEval").asText()).isEqualTo("7002 [7002] Window not found: main (it was closed)");
            assertThat(closed.get("callbacks").asBoolean()).as("onClose ran").isTrue();
            assertThat(kiln.awaitExit(WAIT)).as("closing the last window ends the app").isZero();
            assertThat(kiln.err).noneMatch(l -> l.contains("unknown option"));
        } finally {
            wm.destroy(); // only the openbox this test started (it exits at once if another WM runs)
            wm.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static int eventsAsked;

    /** Asks the app for its system events until they are the expected JSON array. */
    private static void awaitEvents(KilnProcess kiln, String expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last;
        do {
            last = step(kiln, "events-" + (++eventsAsked)).toString();
            if (last.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("system events " + last + ", expected " + expected);
    }

    private static JsonNode step(KilnProcess kiln, String name) throws Exception {
        kiln.command("eval main step('" + name + "'), 1");
        return kiln.result(name, WAIT);
    }

    @FunctionalInterface
    private interface XQuery {
        String get() throws Exception;
    }

    private static void awaitX(XQuery query, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last;
        while (!done.test(last = query.get())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The X server did not show it within " + WAIT + "; last: " + last);
            }
            Thread.sleep(100);
        }
    }

    private static String xWindow() throws IOException, InterruptedException {
        String out = run("xdotool", "search", "--name", "^" + TITLE + "$").trim();
        return out.isEmpty() ? null : out.lines().reduce((a, b) -> b).orElseThrow();
    }

    private static String netWmState() throws IOException, InterruptedException {
        String id = xWindow();
        return id == null ? "no window" : run("xprop", "-id", id, "_NET_WM_STATE");
    }

    private static String frameExtents() throws IOException, InterruptedException {
        String id = xWindow();
        return id == null ? "no window" : run("xprop", "-id", id, "_NET_FRAME_EXTENTS");
    }

    /** The X window's size plus the window manager's frame (_NET_FRAME_EXTENTS: left, right, top, bottom). */
    private static String outerSize() throws IOException, InterruptedException {
        String id = xWindow();
        if (id == null) {
            return "no window";
        }
        String geometry = run("xdotool", "getwindowgeometry", id).replaceAll("(?s).*Geometry: (\\d+)x(\\d+).*", "$1 $2").trim();
        String extents = run("xprop", "-id", id, "_NET_FRAME_EXTENTS").replaceAll("(?s).*= ", "").trim();
        try {
            String[] g = geometry.split(" ");
            String[] e = extents.split(", ");
            return (Integer.parseInt(g[0]) + Integer.parseInt(e[0]) + Integer.parseInt(e[1])) + "x"
                    + (Integer.parseInt(g[1]) + Integer.parseInt(e[2]) + Integer.parseInt(e[3]));
        } catch (RuntimeException notYet) {
            return geometry + " / " + extents;
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
