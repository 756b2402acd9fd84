package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Streams with credit between a TypeScript app and a real page, both ways, through {@code ./kiln run}:
 * the streams fixture (kiln-cli/src/test/fixtures/streams). The host prints {@code result <name> <JSON>}
 * lines; the page keeps its reads in {@code window.reads} and what its producers did in {@code window.made}.
 */
@Tag("e2e")
@Timeout(300)
class StreamsE2ETest {
    private static final String APP = "kiln-cli/src/test/fixtures/streams";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode result(KilnProcess kiln, String name) throws Exception {
        return kiln.result(name, WAIT);
    }

    private static JsonNode pageRead(KilnProcess kiln, String name) throws Exception {
        String r = "reads['" + name + "']";
        kiln.awaitEval("main", "!!(" + r + " && (" + r + ".done || " + r + ".error))", "true", WAIT);
        return JSON.readTree(kiln.command("eval main " + r));
    }

    @Test
    void thePageReadsTheAppsProducersWithBackpressure() throws Exception {
        KilnProcess.drive(APP, "streams-page-reads-ts", kiln -> {
            kiln.command("wait-ready main 60000");
            kiln.command("eval main read('slow', 'numbers', null, { highWaterMark: 4 }, 20, 10), read('broken', 'broken'),"
                    + " read('denied', 'secret'), read('nobody', 'nobody'), 1");
            JsonNode slow = pageRead(kiln, "slow");
            assertThat(slow.get("done").asBoolean()).isTrue();
            for (int i = 0; i < 20; i++) {
                assertThat(slow.get("values").get(i).intValue()).isEqualTo(i);
            }
            JsonNode closed = result(kiln, "numbers-closed");
            assertThat(closed.get("made").intValue()).isBetween(20, 24); // credit: 4, then 2 per 2 taken
            assertThat(closed.get("window").asText()).isEqualTo("main");
            assertThat(result(kiln, "numbers-aborted").get("code").intValue()).isEqualTo(7008);
            JsonNode broken = pageRead(kiln, "broken");
            assertThat(broken.get("values").toString()).isEqualTo("[0,1,2]");
            assertThat(broken.get("error")).isEqualTo(JSON.readTree(
                    "{\"isIpcError\":true,\"code\":\"E_DISK\",\"message\":\"Disk gone\",\"data\":[1,2]}"));
            assertThat(pageRead(kiln, "denied").get("error").get("code").intValue()).isEqualTo(7004);
            assertThat(pageRead(kiln, "nobody").get("error").get("code").intValue()).isEqualTo(7006);
        });
    }

    @Test
    void theAppReadsThePagesProducersPullingOnlyWhatItTakes() throws Exception {
        KilnProcess.drive(APP, "streams-ts-reads-page", kiln -> {
            kiln.command("wait-ready main 60000");
            kiln.command("eval main runtime.send('go', 'read'), 1");
            JsonNode ticks = result(kiln, "ticks");
            assertThat(ticks.get("done").asBoolean()).isTrue();
            for (int i = 0; i < 10; i++) {
                assertThat(ticks.get("values").get(i).get("i").intValue()).isEqualTo(i);
            }
            kiln.awaitEval("main", "made.t.closed", "true", WAIT);
            assertThat(Integer.parseInt(kiln.command("eval main made.t.made"))).isBetween(10, 14);
            assertThat(kiln.command("eval main made.t.aborted")).isEqualTo("7008");

            kiln.command("eval main runtime.send('go', 'failing'), 1");
            JsonNode failing = result(kiln, "failing");
            assertThat(failing.get("values").toString()).isEqualTo("[1]");
            assertThat(failing.get("error")).isEqualTo(JSON.readTree(
                    "{\"isIpcError\":true,\"code\":\"E_SENSOR\",\"message\":\"Sensor unplugged\",\"data\":{\"port\":3}}"));
            assertThat(result(kiln, "denied").get("error").get("code").intValue()).isEqualTo(7004);
            assertThat(result(kiln, "nobody").get("error").get("code").intValue()).isEqualTo(7006);

            kiln.command("eval main runtime.send('go', 'abort'), 1");
            JsonNode aborted = result(kiln, "aborted");
            assertThat(aborted.get("error").get("code").intValue()).isEqualTo(7008);
            kiln.awaitEval("main", "made.a.aborted", "7008", WAIT);
        });
    }
}
