package dev.kiln.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the end-to-end bench in its tiny plan for the baseline and both Kiln hosts, through real
 * windows in child JVMs, so that CI knows the bench works. Asserts correctness only (every message
 * arrived in order, every call got its own result, results and chart written), never speed.
 */
class BenchSmokeTest {
    private static final Path OUT = Path.of("target", "bench-smoke");

    @BeforeAll
    static void needsDisplay() {
        String display = System.getenv("DISPLAY");
        if (display == null || display.isBlank()) {
            fail("No DISPLAY: the bench opens real windows. Run the tests through ./kiln test, "
                    + "or start Xvfb (Xvfb :93 &) and export DISPLAY=:93.");
        }
    }

    @Test
    void tinyRunOfEveryHostLosesNothingAndWritesResults() throws Exception {
        int status = BenchMain.run("--tiny", "--out", OUT.toString());

        assertThat(status).as("bench exit status (a lost or reordered message fails the run; see "
                + OUT.resolve("logs") + ")").isZero();
        JsonNode results = new ObjectMapper().readTree(OUT.resolve("results.json").toFile());
        assertThat(results.get("failures")).isEmpty();
        for (String host : new String[] {"baseline", "kiln-java", "kiln-ts", "kiln-java-inspected"}) {
            JsonNode h = results.get("hosts").get(host);
            assertThat(h.get("available").asBoolean()).as(host + " ran").isTrue();
            assertThat(h.get("startupSeconds").asDouble()).as(host + " start-up").isPositive();
            assertThat(h.get("rssAfterMb").asDouble()).as(host + " memory").isPositive();
            // Every counted message was confirmed in order by its receiver (the run fails otherwise).
            assertThat(h.get("messages").asLong()).as(host + " messages moved").isGreaterThanOrEqualTo(10_000);
        }
        JsonNode first = results.get("rows").get(0);
        assertThat(first.get("metric").asText()).startsWith("Host->renderer msgs/s");
        assertThat(first.get("baseline").asDouble()).isPositive();
        assertThat(first.get("kilnJava").asDouble()).isPositive();
        assertThat(first.get("kilnTs").asDouble()).isPositive();
        assertThat(first.get("javaVerdict").asText()).isIn("PASS", "MISS");
        // Every call's result was checked against the call by its caller (the run fails otherwise).
        JsonNode calls = results.get("callRows");
        assertThat(calls).hasSize(4);
        for (JsonNode row : calls) {
            assertThat(row.get("baseline").isNull()).as("the baseline has no calls").isTrue();
            assertThat(row.get("kilnJava").asDouble()).as(row.get("metric").asText() + ", Java").isPositive();
            assertThat(row.get("kilnTs").asDouble()).as(row.get("metric").asText() + ", TS").isPositive();
            assertThat(row.get("javaVerdict").asText()).isIn("PASS", "MISS");
        }
        // The inspected host moved the same messages, in order, with the inspector on and read.
        JsonNode inspector = results.get("inspectorRows");
        assertThat(inspector).hasSizeGreaterThanOrEqualTo(8);
        assertThat(inspector.get(0).get("inspectorOff").asDouble()).isPositive();
        assertThat(inspector.get(0).get("inspectorOn").asDouble()).isPositive();
        // Every binary payload's, stream chunk's and fetched file's bytes were checked by its receiver.
        JsonNode binary = results.get("binaryRows");
        assertThat(binary).hasSizeGreaterThanOrEqualTo(3);
        for (JsonNode row : binary) {
            assertThat(row.get("kilnJava").asDouble()).as(row.get("metric").asText() + ", Java").isPositive();
            assertThat(row.get("kilnTs").asDouble()).as(row.get("metric").asText() + ", TS").isPositive();
        }
        for (int i = 0; i < 3; i++) { // one payload each way and the stream, against their ceilings
            assertThat(binary.get(i).get("kilnJavaCeiling").asDouble()).isPositive();
            assertThat(binary.get(i).get("kilnTsCeiling").asDouble()).isPositive();
            assertThat(binary.get(i).get("javaVerdict").asText()).isIn("PASS", "MISS");
            assertThat(binary.get(i).get("tsVerdict").asText()).isIn("PASS", "MISS");
        }
        assertThat(Files.size(OUT.resolve("chart.png"))).isPositive();
    }
}
