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
}
