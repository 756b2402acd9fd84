package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the page's bridge accepts, the host accepts: payloads up to the documented depth and byte
 * limits decode, anything past them is refused on its own, and never costs the rest of its batch.
 */
@Timeout(60)
class InboundLimitsTest {
    /** The documented limit, written out here so that a change of the constant is a visible decision. */
    private static final int MAX_DEPTH = 512;

    private Ipc ipc;
    private InMemoryRenderer page;
    private EventStream events;

    private void start(long maxPayloadBytes) {
        ipc = Ipc.create(IpcConfig.builder().maxPayloadBytes(maxPayloadBytes).build());
        page = new InMemoryRenderer(ipc, "w");
        events = ipc.windowEvents();
    }

    @AfterEach
    void shutDown() {
        if (ipc != null) {
            ipc.shutdown();
        }
    }

    static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    static String message(String channel, String payloadJson) {
        return "{\"c\":\"" + channel + "\",\"p\":" + payloadJson + "}";
    }

    @Test
    void theDocumentedDepthIsTheOneConstant() {
        assertThat(IpcConfig.MAX_PAYLOAD_DEPTH).isEqualTo(MAX_DEPTH);
    }

    @Test
    void aPayloadAtTheDepthLimitIsDeliveredAndOneLevelMoreIsRefusedAlone() throws Exception {
        start(IpcConfig.DEFAULT_MAX_PAYLOAD_BYTES);
        page.link.receive("[" + message("a", "1") + "," + message("deep", nested(MAX_DEPTH + 1)) + ","
                + message("ok", nested(MAX_DEPTH)) + "," + message("b", "2") + "]");
        List<IpcEvent> got = FanOutTest.take(events, 3);
        assertThat(got).extracting(IpcEvent::channel).containsExactly("a", "ok", "b");
        assertThat(got.get(1).payloadJson()).isEqualTo(nested(MAX_DEPTH));
        assertThat(got.get(1).payload().isArray()).isTrue(); // the tree parses too
        assertThat(ipc.stats().inboundMalformed()).isEqualTo(1);
    }

    @Test
    void aVeryDeepPayloadDoesNotTakeItsBatchWithIt() throws Exception {
        start(IpcConfig.DEFAULT_MAX_PAYLOAD_BYTES);
        page.link.receive("[" + message("a", "1") + "," + message("deep", nested(5_000)) + ","
                + message("deep-object", "{\"k\":".repeat(2_000) + "0" + "}".repeat(2_000)) + ","
                + message("b", "2") + "]");
        assertThat(FanOutTest.take(events, 2)).extracting(IpcEvent::channel).containsExactly("a", "b");
        assertThat(ipc.stats().inboundMalformed()).isEqualTo(2);
    }

    @Test
    void aTopLevelStringOverTwentyMillionCharactersWithinTheByteLimitIsDelivered() throws Exception {
        start(IpcConfig.DEFAULT_MAX_PAYLOAD_BYTES);
        String big = "\"" + "x".repeat(21_000_000) + "\"";
        page.link.receive("[" + message("a", "1") + "," + message("big", big) + "," + message("b", "2") + "]");
        List<IpcEvent> got = FanOutTest.take(events, 3);
        assertThat(got).extracting(IpcEvent::channel).containsExactly("a", "big", "b");
        assertThat(got.get(1).payloadJson()).hasSize(big.length());
        assertThat(got.get(1).payload().textValue()).hasSize(21_000_000);
        assertThat(ipc.stats().inboundMalformed()).isZero();
    }

    @Test
    void longObjectKeysAndLongNestedStringsParseOnDemand() throws Exception {
        start(IpcConfig.DEFAULT_MAX_PAYLOAD_BYTES);
        String key = "k".repeat(60_000);
        String payload = "{\"" + key + "\":[\"" + "y".repeat(21_000_000) + "\"]}";
        page.link.receive("[" + message("long", payload) + "]");
        IpcEvent e = events.poll(Duration.ofSeconds(30));
        assertThat(e).isNotNull();
        assertThat(e.payload().get(key).get(0).textValue()).hasSize(21_000_000);
    }

    @Test
    void aJavaPayloadFollowsTheSameDepthLimit() throws Exception {
        start(IpcConfig.DEFAULT_MAX_PAYLOAD_BYTES);
        Object deepest = List.of();
        for (int i = 1; i < MAX_DEPTH; i++) {
            deepest = List.of(deepest);
        }
        page.link.ready();
        ipc.sendToWindow("w", "ok", deepest).get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(page.messages().get(0).payloadJson()).isEqualTo(nested(MAX_DEPTH));
        Object tooDeep = List.of(deepest);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ipc.sendToWindow("w", "deep", tooDeep).join())
                .cause().isInstanceOf(KilnException.class).hasMessageStartingWith("[7003] Payload of type")
                .hasMessageContaining("nesting depth");
    }

    @Test
    void theInboundLimitCountsUtf8BytesNotCharacters() throws Exception {
        start(100);
        // 49 two-byte characters and two quotes: 51 characters, 100 bytes; one more is 102 bytes.
        page.link.receive("[" + message("fits", "\"" + "é".repeat(49) + "\"") + ","
                + message("over", "\"" + "é".repeat(50) + "\"") + ","
                + message("astral", "\"" + "\uD83D\uDE00".repeat(25) + "\"") + "]"); // 25 x 4 bytes + 2
        assertThat(FanOutTest.take(events, 1)).extracting(IpcEvent::channel).containsExactly("fits");
        await().until(() -> ipc.stats().inboundMalformed() == 2);
        assertThat(events.poll(Duration.ofMillis(50))).isNull();
    }

    @Test
    void aMalformedMessageInTheMiddleOfABatchCostsOnlyItself() throws Exception {
        start(IpcConfig.DEFAULT_MAX_PAYLOAD_BYTES);
        page.link.receive("[" + message("a", "1") + ", {\"c\":\"bad\",\"p\":tru} ,"
                + message("b", "[\"]\",\"}\"]") + ",{\"c\":\"bad2\",\"p\":[1,,2]}," + message("c", "{\"x\":\"\\\"\"}")
                + ",{\"c\":\"bad3\",\"p\":01}," + message("d", "3") + "]");
        assertThat(FanOutTest.take(events, 4)).extracting(IpcEvent::payloadJson)
                .containsExactly("1", "[\"]\",\"}\"]", "{\"x\":\"\\\"\"}", "3");
        assertThat(ipc.stats().inboundMalformed()).isEqualTo(3);
    }

    @Test
    void aBadMessageRightAfterABareStringCostsOnlyItself() throws Exception {
        // found by InboundFuzzProperties: a string element is read lazily, so the skip after the next
        // bad message started inside the string and lost the rest of the batch
        start(IpcConfig.DEFAULT_MAX_PAYLOAD_BYTES);
        page.link.receive("[\"text\"," + "{\"c\":\"bad\",\"p\":{\"a\" 1}}," + message("good", " 791 ") + "]");
        assertThat(FanOutTest.take(events, 1)).extracting(IpcEvent::channel).containsExactly("good");
        assertThat(ipc.stats().inboundMalformed()).isEqualTo(2);
    }

    @Test
    void messagesBeforeAnUnrecoverableBreakArriveAndTheBreakCountsOnce() throws Exception {
        start(IpcConfig.DEFAULT_MAX_PAYLOAD_BYTES);
        page.link.receive("[" + message("a", "1") + ",{\"c\":\"b\",\"p\":\"unterminated]");
        page.send("after", 1);
        assertThat(FanOutTest.take(events, 2)).extracting(IpcEvent::channel).containsExactly("a", "after");
        assertThat(ipc.stats().inboundMalformed()).isEqualTo(1);
    }
}
