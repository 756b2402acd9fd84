package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pages built the way people ship them, run as Kiln apps end to end: React, Vue and Svelte built by
 * Vite with its default settings, plain TypeScript bundled by esbuild as a classic script, and React
 * from its UMD builds in classic script tags as Forge's example pages load it from a CDN. The
 * fixtures and the protocol their pages speak are described in kiln-cli/src/test/fixtures/README.md.
 *
 * <p>Each fixture runs alone, then twice at once: a real click, the host's reply, the message the
 * host sent before the page was ready, a JSON file fetched by a relative and a root-absolute URL,
 * the stylesheet and the image applied, and a localStorage counter that grows from one launch to
 * the next. A failed check does not stop the others, so one failure lists everything that is wrong.
 */
@Tag("e2e")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class FrontendFixturesE2ETest {
    private static final String FIXTURES = "kiln-cli/src/test/fixtures/";
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Duration EXIT = Duration.ofSeconds(20);
    private static final String GREETING = "hello from data.json";
    private static final String CARD_BORDER = "rgb(200, 80, 26)";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Everything a fixture page shows, read in one eval. */
    private static final String PAGE_STATE = "(() => {"
            + " const text = (id) => { const e = document.getElementById(id); return e ? e.textContent : null; };"
            + " const card = document.getElementById('card'); const img = document.getElementById('logo');"
            + " return { mounted: card ? card.dataset.mounted : null, early: text('early'),"
            + " mountReply: text('mount-reply'), clickReply: text('click-reply'),"
            + " relative: text('fetch-relative'), absolute: text('fetch-absolute'), visits: text('visits'),"
            + " border: card ? getComputedStyle(card).borderTopColor : null,"
            + " image: !!img && img.complete && img.naturalWidth > 0,"
            + " location: String(location.href) }; })()";

    /** Kiln's app-data location for these runs (honoured once Kiln reads KILN_DATA_HOME, harmless before). */
    @TempDir
    static Path dataHome;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vite-react", "vite-vue", "vite-svelte", "esbuild-iife"})
    void fixtureWorksAloneThenTwiceAtOnceAndKeepsItsStorage(String fixture) throws Exception {
        SoftAssertions soft = new SoftAssertions();

        Launch first;
        try (KilnProcess alone = start(fixture)) {
            first = checkPage(alone, fixture, fixture, soft);
            closeAndExit(alone, fixture, soft);
        }
        if (!first.mounted()) {
            soft.assertAll(); // no page worth running twice: report what the first launch showed
        }

        // The same app again, twice at once: both instances work (each with a working localStorage),
        // and the first launch's visit is still counted. Only one instance is required to see it: a
        // WebView's storage folder is one process's at a time, so the other may get storage of its own.
        // The second starts once the first is ready: two ./kiln launchers started in the same instant
        // can pick the same free display number for their Xvfb.
        try (KilnProcess one = startReady(fixture); KilnProcess two = startReady(fixture)) {
            Launch instanceOne = checkPage(one, fixture, fixture + "-instance-1", soft);
            Launch instanceTwo = checkPage(two, fixture, fixture + "-instance-2", soft);
            soft.assertThat(Math.max(instanceOne.visits(), instanceTwo.visits()))
                    .as("%s: the visit count after a first launch that counted %s (instances: %s and %s)",
                            fixture, first.visits(), instanceOne.visits(), instanceTwo.visits())
                    .isGreaterThan(first.visits());
            closeAndExit(one, fixture + " instance 1", soft);
            closeAndExit(two, fixture + " instance 2", soft);
        }
        soft.assertAll();
    }

    /** Issue 9's minimal reproduction: a module page receives a message sent right after createWindow. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void modulePageReceivesAMessageSentRightAfterCreateWindow() throws Exception {
        KilnProcess.drive(FIXTURES + "module-repro", "module-repro", kiln -> {
            kiln.command("wait-ready w 60000");
            kiln.awaitOut("w early-ack {\"n\":1}", SETTLE);
            kiln.awaitOut("sent", SETTLE);
            kiln.command("close w");
            assertThat(kiln.awaitExit(EXIT)).as("exit code; err: %s", kiln.err).isZero();
        });
    }

    /**
     * The reproduction's variants, one window each: a module inline in head, at the end of body,
     * imported by a classic script's dynamic import(), and between classic scripts.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void modulePageVariantsReceiveAMessageSentWhileTheyLoad() throws Exception {
        KilnProcess.drive(FIXTURES + "module-variants", "module-variants", kiln -> {
            List<String> pages = List.of("inline", "body", "dynamic", "mixed");
            for (String page : pages) {
                kiln.command("wait-ready " + page + " 60000");
            }
            List<String> acks = pages.stream().map(page -> page + " early-ack {\"page\":\"" + page + ".html\","
                    + "\"classic\":" + page.equals("mixed") + ",\"n\":1}").toList();
            long deadline = System.nanoTime() + SETTLE.toNanos();
            while (!acks.stream().allMatch(kiln::outContains) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(acks.stream().filter(ack -> !kiln.outContains(ack)).toList())
                    .as("acks that did not arrive; out: %s; err: %s", kiln.out, kiln.err).isEmpty();
            kiln.command("quit");
            assertThat(kiln.awaitExit(EXIT)).as("exit code; err: %s", kiln.err).isZero();
        });
    }

    /**
     * A page in the style of Forge's examples (React's UMD builds in classic scripts, createRoot, and
     * {@code window.host}) renders each update the host sends, with no click, key or automation
     * command to wake it: nothing is sent to the app until it printed "all rendered", and the host
     * sends each update only after the page reported the one before on the DOM.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void reactFromUmdScriptsRendersEveryHostUpdateWithoutUserInput() throws Exception {
        KilnProcess.drive(FIXTURES + "react-umd", "react-umd", kiln -> {
            kiln.awaitOut("all rendered", Duration.ofSeconds(60));
            for (int k = 1; k <= 20; k++) {
                assertThat(kiln.outContains("rendered " + k + " update " + k)).as("update %d; out: %s", k, kiln.out).isTrue();
            }
            kiln.screenshot("umd", "fixture-react-umd");
            kiln.command("close umd");
            assertThat(kiln.awaitExit(EXIT)).as("exit code; err: %s", kiln.err).isZero();
        });
    }

    private static KilnProcess start(String fixture) throws Exception {
        return KilnProcess.run(FIXTURES + fixture, Map.of("KILN_DATA_HOME", dataHome.toString()));
    }

    private static KilnProcess startReady(String fixture) throws Exception {
        KilnProcess kiln = start(fixture);
        try {
            kiln.command("wait-ready main 60000");
            return kiln;
        } catch (Exception | AssertionError e) {
            kiln.close();
            throw e;
        }
    }

    /**
     * Checks one running instance of a fixture, clicks its button and keeps a screenshot as
     * target/screenshots/fixture-{shot}.png.
     */
    private static Launch checkPage(KilnProcess kiln, String fixture, String shot, SoftAssertions soft) throws Exception {
        kiln.command("wait-ready main 60000");
        JsonNode state = awaitState(kiln, s -> "true".equals(text(s, "mounted"))
                && !"waiting".equals(text(s, "early")) && !"waiting".equals(text(s, "mountReply"))
                && !"loading".equals(text(s, "relative")) && !"loading".equals(text(s, "absolute"))
                && s.path("image").asBoolean());
        String what = fixture + " (" + shot + ") at " + text(state, "location");
        soft.assertThat(text(state, "mounted")).as("%s: the framework mounted the page", what).isEqualTo("true");
        soft.assertThat(text(state, "early")).as("%s: the message the host sent before the page was ready", what)
                .isEqualTo("sent before the page was ready");
        soft.assertThat(text(state, "mountReply")).as("%s: the host's reply to the hello sent at mount", what)
                .startsWith("hello, ");
        soft.assertThat(text(state, "relative")).as("%s: fetch(\"data.json\")", what).isEqualTo(GREETING);
        soft.assertThat(text(state, "absolute")).as("%s: fetch(\"/data.json\")", what).isEqualTo(GREETING);
        soft.assertThat(text(state, "border")).as("%s: the card's border from the bundled CSS", what)
                .isEqualTo(CARD_BORDER);
        soft.assertThat(state.path("image").asBoolean()).as("%s: the bundled image loaded", what).isTrue();
        soft.assertThat(text(state, "visits")).as("%s: the localStorage visit counter", what).matches("[1-9][0-9]*");

        if ("true".equals(text(state, "mounted"))) {
            kiln.command("click main #send");
            state = awaitState(kiln, s -> "click 1 received".equals(text(s, "clickReply")));
            soft.assertThat(text(state, "clickReply")).as("%s: the host's reply to a real click", what)
                    .isEqualTo("click 1 received");
        }
        Path png = kiln.screenshot("main", "fixture-" + shot);
        soft.assertThat(Files.size(png)).as("%s: screenshot %s", what, png).isGreaterThan(1000);
        String visits = text(state, "visits");
        return new Launch("true".equals(text(state, "mounted")),
                visits != null && visits.matches("[0-9]+") ? Integer.parseInt(visits) : -1);
    }

    /** What one launch of a fixture showed: whether its page mounted, and its visit count (-1 for none). */
    private record Launch(boolean mounted, int visits) {
    }

    private static void closeAndExit(KilnProcess kiln, String what, SoftAssertions soft) throws Exception {
        kiln.command("close main");
        soft.assertThat(kiln.awaitExit(EXIT)).as("%s: exit code; err: %s", what, kiln.err).isZero();
        soft.assertThat(kiln.outContains("host-early delivered"))
                .as("%s: the host saw its early message delivered; out: %s", what, kiln.out).isTrue();
    }

    /** Reads the page's state until it satisfies the condition or SETTLE has passed; the last state read. */
    private static JsonNode awaitState(KilnProcess kiln, java.util.function.Predicate<JsonNode> settled)
            throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        JsonNode state;
        do {
            state = JSON.readTree(kiln.command("eval main " + PAGE_STATE));
            if (settled.test(state)) {
                return state;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return state;
    }

    private static String text(JsonNode state, String field) {
        JsonNode v = state.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }
}
