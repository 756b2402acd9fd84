package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binary values in payloads: Java byte[], ByteBuffer and BinaryNode out, the page's marker objects in. */
class BinaryPayloadTest {

    record Photo(String name, byte[] bytes, ByteBuffer thumbnail) {
    }

    @Test
    void javaBinaryGoesOutAsKilnsMarkerObjectAndComesBackAsBytes() throws Exception {
        try (Ipc ipc = Ipc.create()) {
            InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
            page.link.ready();
            byte[] bytes = {0, 1, 2, (byte) 255, (byte) 128};
            ipc.sendToWindow("w", "photo", Map.of("bytes", bytes)).get();
            ipc.sendToWindow("w", "tree", InMemoryRenderer.JSON.createObjectNode().set("b", BinaryNode.valueOf(new byte[] {7}))).get();
            ipc.sendToWindow("w", "buffer", List.of(ByteBuffer.wrap(new byte[] {9, 8}))).get();
            ipc.sendToWindow("w", "empty", new byte[0]).get();
            assertThat(page.messages()).extracting(OutboundMessage::payloadJson).containsExactly(
                    "{\"bytes\":{\"\\u0000kiln\":\"Uint8Array\",\"b\":\"AAEC/4A=\"}}",
                    "{\"b\":{\"\\u0000kiln\":\"Uint8Array\",\"b\":\"Bw==\"}}",
                    "[{\"\\u0000kiln\":\"Uint8Array\",\"b\":\"CQg=\"}]",
                    "{\"\\u0000kiln\":\"Uint8Array\",\"b\":\"\"}");

            EventStream events = ipc.windowEvents();
            // what the page's payload check writes for { name, bytes: Uint8Array, thumbnail: Float32Array }
            page.link.receive("[{\"c\":\"photo\",\"p\":{\"name\":\"cat\",\"bytes\":{\"\\u0000kiln\":\"Uint8Array\",\"b\":\"AAEC/4A=\"},"
                    + "\"thumbnail\":{\"\\u0000kiln\":\"Float32Array\",\"b\":\"AACAPw==\"}}}]");
            IpcEvent e = events.poll(Duration.ofSeconds(5));
            JsonNode tree = e.payload();
            assertThat(tree.get("bytes").isBinary()).isTrue();
            assertThat(tree.get("bytes").binaryValue()).containsExactly(bytes);
            Photo photo = e.payloadAs(Photo.class);
            assertThat(photo.bytes()).containsExactly(bytes);
            assertThat(photo.thumbnail().remaining()).isEqualTo(4);
            assertThat(photo.thumbnail().getFloat(0)).isEqualTo(Float.intBitsToFloat(Integer.reverseBytes(Float.floatToIntBits(1.0f))));
            assertThat(e.payloadJson()).contains("Float32Array"); // a host that passes text on keeps the page's types
        }
    }

    @Test
    void aCallsResultCanBeBinaryBothWays() throws Exception {
        try (Ipc ipc = Ipc.create()) {
            InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
            page.link.ready();
            ipc.handle("thumb", (p, ctx) -> java.util.concurrent.CompletableFuture.completedFuture(new byte[] {1, 2, 3}));
            page.invoke("thumb", "1", null, 0);
            await().until(() -> !page.ofKind(MessageKind.RESULT).isEmpty());
            assertThat(page.ofKind(MessageKind.RESULT).get(0).payloadJson()).isEqualTo("{\"\\u0000kiln\":\"Uint8Array\",\"b\":\"AQID\"}");
            var call = ipc.invokeWindow("w", "snapshot", null, null, byte[].class);
            await().until(() -> !page.ofKind(MessageKind.INVOKE).isEmpty());
            page.step(MessageKind.RESULT, "snapshot", page.ofKind(MessageKind.INVOKE).get(0).callId(),
                    "{\"\\u0000kiln\":\"ArrayBuffer\",\"b\":\"BAUG\"}");
            assertThat(call.get()).containsExactly(4, 5, 6);
        }
    }
}
