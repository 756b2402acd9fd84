package dev.kiln.script;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.ipc.IpcEvent;

/** JSON text for what crosses into V8: events, window state, option objects. Stateless, thread-safe. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** An IpcEvent as the spec's object: {@code {windowId, channel, payload, type?}}. */
    static String event(IpcEvent e) {
        return appendEvent(new StringBuilder(64), e).toString();
    }

    /** Appends {@link #event(IpcEvent)}'s text to {@code sb}. */
    static StringBuilder appendEvent(StringBuilder sb, IpcEvent e) {
        sb.append("{\"windowId\":");
        quote(sb, e.windowId());
        sb.append(",\"channel\":");
        quote(sb, e.channel());
        sb.append(",\"payload\":").append(e.payloadJson());
        if (e.type() != null) {
            sb.append(",\"type\":");
            quote(sb, e.type().wireName());
        }
        return sb.append('}');
    }

    /** Appends {@code s} as a JSON string literal. */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        sb.append('"');
    }

    // Kiln's binary marker (kiln-ipc's payload-check.js): the bootstrap's parsePayload revives it as a Uint8Array.
    private static final String BINARY_KEY = "\u0000kiln";

    /** Bytes as the JSON text the bootstrap's {@code parsePayload} reads back as a {@code Uint8Array}. */
    static String binary(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 4 / 3 + 32);
        sb.append("{\"\\u0000kiln\":\"Uint8Array\",\"b\":\"");
        sb.append(java.util.Base64.getEncoder().encodeToString(bytes));
        return sb.append("\"}").toString();
    }

    /** The bytes of a binary marker the bootstrap's {@code encode} wrote for a typed array or ArrayBuffer. */
    static byte[] bytes(JsonNode marker) {
        if (marker == null || !marker.has(BINARY_KEY)) {
            throw new IllegalArgumentException("not binary data");
        }
        return java.util.Base64.getDecoder().decode(marker.path("b").asText());
    }
}
