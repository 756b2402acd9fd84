package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and adversarial page input through {@link RendererLink#receive}, in batches as the page
 * bridge makes them ({@code [{"c":..,"p":..},...]}), with good and bad messages mixed.
 *
 * <p>Invariant: every well-formed message within the limits is delivered exactly once, in order,
 * with the payload text it was sent with; every other one is refused and counted once, and never
 * takes another message with it. Whether a message is good is decided here, independently of the
 * decoder: by construction for the JSON and the depth, and by counting code points for the size.
 */
class InboundFuzzProperties {
    private static final long LIMIT = 2048;
    private static final int MAX_DEPTH = IpcConfig.MAX_PAYLOAD_DEPTH;

    /** One message as it goes on the wire, and whether the host must deliver it. */
    record Msg(String wire, boolean good, String channel, String payloadJson) {
    }

    @Property(tries = 40)
    void everyGoodMessageArrivesOnceInOrderAndEveryBadOneIsCountedAlone(@ForAll("batches") List<List<Msg>> batches)
            throws Exception {
        try (Ipc ipc = Ipc.create(IpcConfig.builder().maxPayloadBytes(LIMIT)
                .policy(new ChannelPolicy(List.of("*"), List.of("admin:*"))).build())) {
            InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
            EventStream events = ipc.windowEvents();
            List<Msg> expected = new ArrayList<>();
            long bad = 0;
            for (List<Msg> batch : batches) {
                StringBuilder text = new StringBuilder("[");
                for (Msg m : batch) {
                    text.append(text.length() > 1 ? "," : "").append(m.wire);
                    if (m.good) {
                        expected.add(m);
                    } else {
                        bad++;
                    }
                }
                page.link.receive(text.append("]").toString());
            }
            page.link.receive("[{\"c\":\"end-of-test\"}]");
            List<IpcEvent> got = new ArrayList<>();
            while (true) {
                IpcEvent e = events.poll(Duration.ofSeconds(10));
                assertThat(e).as("the end marker arrives").isNotNull();
                if (e.channel().equals("end-of-test")) {
                    break;
                }
                got.add(e);
            }
            List<String> gotChannels = got.stream().map(IpcEvent::channel).toList();
            assertThat(got).extracting(IpcEvent::channel).as(() -> "missing: " + expected.stream()
                            .filter(m -> !gotChannels.contains(m.channel)).map(m -> m.wire.length() > 400
                                    ? m.wire.substring(0, 200) + "..." + m.wire.substring(m.wire.length() - 200) : m.wire)
                            .toList())
                    .containsExactlyElementsOf(expected.stream().map(Msg::channel).toList());
            assertThat(got).extracting(IpcEvent::payloadJson)
                    .containsExactlyElementsOf(expected.stream().map(Msg::payloadJson).toList());
            for (IpcEvent e : got) {
                assertThat(e.payload()).isNotNull(); // what was delivered also parses
            }
            IpcStats stats = ipc.stats();
            assertThat(stats.inboundMalformed() + stats.inboundDenied()).as("each bad message counted once").isEqualTo(bad);
        }
    }

    @Provide
    Arbitrary<List<List<Msg>>> batches() {
        return Arbitraries.randomValue(r -> {
            int n = 1 + r.nextInt(4);
            List<List<Msg>> batches = new ArrayList<>();
            for (int b = 0; b < n; b++) {
                int size = 1 + r.nextInt(12);
                List<Msg> batch = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    batch.add(message(r, b * 100 + i));
                }
                batches.add(batch);
            }
            return batches;
        });
    }

    private static Msg message(Random r, int index) {
        String channel = "ch" + index;
        switch (r.nextInt(10)) {
            case 0, 1, 2:
                return withPayload(channel, tree(r, r.nextInt(4)), true);
            case 3: { // depth around the limit, as arrays or objects
                int depth = MAX_DEPTH - 2 + r.nextInt(5);
                if (r.nextInt(8) == 0) {
                    depth = MAX_DEPTH + 100 + r.nextInt(3000);
                }
                boolean arrays = r.nextBoolean();
                String leaf = tree(r, 0);
                String json = arrays ? "[".repeat(depth) + leaf + "]".repeat(depth)
                        : "{\"k\":".repeat(depth) + leaf + "}".repeat(depth);
                return withPayload(channel, json, depth <= MAX_DEPTH);
            }
            case 4: { // size around the limit in bytes, multi-byte text and lone surrogates included
                String text = sizedString(r);
                return withPayload(channel, text, true);
            }
            case 5: { // a payload that is not JSON, with balanced brackets and quotes
                String[] broken = {"tru", "[1,,2]", "{\"a\" 1}", "01", "\"\\q\"", "[1 2]", "{\"a\":}", "NaN",
                    "'single'", "[1,]", "{\"a\":1,}", "-", "1e", "\"raw\ncontrol\"", "{1:2}", "[}", "{]"};
                return withPayload(channel, broken[r.nextInt(broken.length)], false);
            }
            case 6: { // a message that is not a good message object
                String[] wrong = {"42", "\"text\"", "[1,{\"c\":\"x\"}]", "null", "{}", "{\"p\":1}", "{\"c\":7}",
                    "{\"c\":\"\"}", "{\"c\":\"a\\u0001b\"}", "{\"c\":\"close\"}", "{\"c\":\"resize\",\"p\":{}}",
                    "{\"c\":\"admin:wipe\"}", "{\"c\":\"" + "x".repeat(300) + "\"}", "{\"c\":[\"x\"]}"};
                return new Msg(wrong[r.nextInt(wrong.length)], false, null, null);
            }
            case 7: // no payload at all: null
                return new Msg("{\"c\":\"" + channel + "\"}", true, channel, "null");
            case 8: { // the keys in another order, unknown keys, whitespace
                String payload = tree(r, 2);
                String wire = "{ \"z\" : [ {\"c\":\"decoy\"} ] , \"p\" :\t" + payload + " \n, \"c\" : \"" + channel + "\" }";
                return new Msg(wire, true, channel, payload);
            }
            default: // a good payload with escapes and unicode in its strings and keys
                return withPayload(channel, "{\"\\u00e9\\\"k\":\"" + unit(r) + unit(r) + "\",\"n\":[-0.5e-3,1E+2,true,null]}", true);
        }
    }

    /** A message with the payload; good if the JSON is valid (as made) and within the byte limit. */
    private static Msg withPayload(String channel, String payloadJson, boolean validJson) {
        boolean good = validJson && utf8Bytes(payloadJson) <= LIMIT;
        String ws = good && payloadJson.length() % 3 == 0 ? " " : "";
        return new Msg("{\"c\":\"" + channel + "\",\"p\":" + ws + payloadJson + ws + "}", good, channel, payloadJson);
    }

    /** A valid JSON value of at most the given depth. */
    private static String tree(Random r, int depth) {
        int kind = depth == 0 ? r.nextInt(5) : r.nextInt(7);
        switch (kind) {
            case 0:
                return "null";
            case 1:
                return r.nextBoolean() ? "true" : "false";
            case 2:
                return Integer.toString(r.nextInt(2001) - 1000);
            case 3:
                return r.nextDouble() * 1e6 + "";
            case 4:
                return "\"" + unit(r) + unit(r) + unit(r) + "\"";
            case 5: {
                StringBuilder b = new StringBuilder("[");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(i > 0 ? "," : "").append(tree(r, depth - 1));
                }
                return b.append("]").toString();
            }
            default: {
                StringBuilder b = new StringBuilder("{");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(i > 0 ? "," : "").append("\"k").append(unit(r)).append(i).append("\":").append(tree(r, depth - 1));
                }
                return b.append("}").toString();
            }
        }
    }

    /** A piece of JSON string content: ASCII, 2, 3 and 4 byte characters, lone surrogates (raw or escaped), escapes. */
    private static String unit(Random r) {
        String[] units = {"a", "\u00e9", "\u20ac", "\uD83D\uDE00", "\uD800", "\uDC00", "\\ud800", "\\\"", "\\\\", "\\n",
            "\\u00e9", " ", "}", "]", ",", "{\\\"c\\\":1}"};
        return units[r.nextInt(units.length)];
    }

    /** A JSON string whose UTF-8 size is within a few bytes of the limit. */
    private static String sizedString(Random r) {
        StringBuilder b = new StringBuilder("\"");
        long target = LIMIT - 8 + r.nextInt(17);
        while (utf8Bytes(b + "\"") < target) {
            b.append(unit(r));
        }
        return b.append("\"").toString();
    }

    /** UTF-8 bytes counted by code point; a lone surrogate is U+FFFD's three bytes. */
    static long utf8Bytes(String s) {
        return s.codePoints().mapToLong(cp -> cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4).sum();
    }
}
