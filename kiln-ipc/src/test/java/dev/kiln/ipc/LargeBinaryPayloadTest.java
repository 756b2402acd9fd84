package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Large binaries outside the JSON text: attachments out (the sender's bytes, not copies), a script
 * host's stashed binaries taken as attachments with their type, the renderer's uploads read back by
 * token, and the binary limit (7010).
 */
class LargeBinaryPayloadTest {
    private static final int BIG = IpcConfig.ATTACH_TO_PAGE_FROM_BYTES;

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Test
    void aBinaryFromTheCutOverOnTravelsAsAnAttachmentAndIsNotCopied() throws Exception {
        try (Ipc ipc = Ipc.create()) {
            InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
            page.link.ready();
            byte[] small = bytes(BIG - 1, 1);
            byte[] big = bytes(BIG, 2);
            ipc.sendToWindow("w", "b", Map.of("small", small, "big", List.of(big))).get();
            OutboundMessage m = page.messages().get(0);
            assertThat(m.attachments()).hasSize(1);
            ByteBuffer attached = m.attachments().get(0);
            assertThat(attached.hasArray() && attached.array() == big).as("the sender's own array").isTrue();
            assertThat(m.payloadJson()).contains("{\"\\u0000kiln\":\"Uint8Array\",\"a\":0,\"n\":" + BIG + "}")
                    .hasSizeLessThan((BIG + 2) / 3 * 4 + 200); // the small one's base64 is inside, the big one's not

            // a renderer that takes text only gets the attachment inlined as base64, and it reads back
            JsonNode p = PayloadCodec.readTree(InMemoryRenderer.JSON.readTree(m.wireJson()).get("p").toString());
            assertThat(p.get("big").get(0).binaryValue()).isEqualTo(big);
            assertThat(p.get("small").binaryValue()).isEqualTo(small);
            assertThat(m.wireJson(List.of("tok")))
                    .endsWith(",\"u\":[\"tok\"]}").doesNotContain(",\"b\":\"" + java.util.Base64.getEncoder().encodeToString(big));
        }
    }

    @Test
    void aScriptHostsStashedBinaryBecomesAnAttachmentWithItsType() throws Exception {
        try (Ipc ipc = Ipc.create()) {
            InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
            page.link.ready();
            byte[] big = bytes(BIG, 3);
            String token = UploadedBinaries.put(big);
            String json = "{\"x\":[{\"\\u0000kiln\":\"Float32Array\",\"u\":\"" + token + "\",\"n\":" + BIG + "}]}";
            ipc.broadcast(List.of("w"), "b", new JsonText(json)).get();
            OutboundMessage m = page.messages().get(0);
            assertThat(m.payloadJson()).isEqualTo("{\"x\":[{\"\\u0000kiln\":\"Float32Array\",\"a\":0,\"n\":" + BIG + "}]}");
            assertThat(m.attachments().get(0).array()).isSameAs(big);
            assertThat(m.wireJson()).contains("{\"\\u0000kiln\":\"Float32Array\",\"b\":\"");
            // taken once: the same text again names bytes that are gone
            CompletableFuture<Void> again = ipc.sendToWindow("w", "b", new JsonText(json));
            assertThatThrownBy(again::get).isInstanceOf(ExecutionException.class).hasMessageContaining("[7001]");
        }
    }

    @Test
    void aPagesUploadIsReadBackByItsTokenOnce() throws Exception {
        try (Ipc ipc = Ipc.create()) {
            InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
            page.link.ready();
            EventStream events = ipc.windowEvents();
            byte[] big = bytes(1 << 20, 4);
            CompletableFuture<byte[]> upload = new CompletableFuture<>();
            UploadedBinaries.expect("T0", upload);
            upload.complete(big);
            page.link.receive("[{\"c\":\"up\",\"p\":{\"d\":{\"\\u0000kiln\":\"Int16Array\",\"u\":\"T0\",\"n\":1048576}}}]");
            IpcEvent e = events.poll(Duration.ofSeconds(5));
            assertThat(e.payload().get("d").binaryValue()).isEqualTo(big);
            assertThat(e.payload().get("d").binaryValue()).isEqualTo(big); // the tree is kept: read twice
            page.link.receive("[{\"c\":\"up\",\"p\":{\"\\u0000kiln\":\"Uint8Array\",\"u\":\"T0\",\"n\":1048576}}]");
            IpcEvent again = events.poll(Duration.ofSeconds(5));
            assertThatThrownBy(again::payload).isInstanceOf(KilnException.class).hasMessageStartingWith("[7001]");
        }
    }

    @Test
    void aPayloadOverTheBinaryLimitIsRefusedWith7010AndNothingElseIsLost() throws Exception {
        try (Ipc ipc = Ipc.create(IpcConfig.builder().maxBinaryBytes(3L * BIG).build())) {
            InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
            page.link.ready();
            byte[] big = bytes(BIG, 5);
            CompletableFuture<Void> over = ipc.sendToWindow("w", "b", List.of(big, big, big, new byte[1]));
            assertThat(over).isCompletedExceptionally();
            assertThatThrownBy(over::get).cause().isInstanceOf(KilnException.class)
                    .satisfies(c -> assertThat(((KilnException) c).code()).isEqualTo(ErrorCode.BINARY_TOO_LARGE));
            ipc.sendToWindow("w", "b", List.of(big, big, big)).get();
            assertThat(page.messages()).hasSize(1);
            assertThat(page.messages().get(0).attachments()).hasSize(3);
            assertThat(Arrays.equals(page.messages().get(0).attachments().get(2).array(), big)).isTrue();
        }
        assertThatThrownBy(() -> IpcConfig.builder().maxBinaryBytes(IpcConfig.MAX_BINARY_BYTES + 1).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
