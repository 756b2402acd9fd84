package dev.kiln.ipc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Decodes a batch of page messages ({@code [{"c": channel, "p": payload}, ...]}) one message at a
 * time, so that one bad message does not cost the others.
 *
 * <p>Threading: stateless; runs on the dispatch thread.
 */
final class InboundDecoder {
    /** One decoded element: a message, or the reason it was refused. */
    record Decoded(String channel, String payloadJson, String problem) {
        static Decoded refused(String problem) {
            return new Decoded(null, null, problem);
        }
    }

    private InboundDecoder() {
    }

    /**
     * Calls the sink for each element. Returns a description of a batch-level problem (not an array,
     * broken JSON) after which the rest of the batch could not be read, or {@code null}.
     */
    static String decode(String batchJson, Consumer<Decoded> sink) {
        if (batchJson == null) {
            return "the batch is null";
        }
        try (JsonParser p = PayloadCodec.MAPPER.createParser(batchJson)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return "the batch is not a JSON array";
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    return "the batch ends before its closing bracket";
                }
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    sink.accept(Decoded.refused("a message must be an object, got " + t.asString()));
                    continue;
                }
                sink.accept(element(p, batchJson));
            }
            return null;
        } catch (JsonProcessingException e) {
            return "the batch is not valid JSON: " + e.getOriginalMessage();
        } catch (IOException e) {
            return "the batch could not be read: " + e.getMessage();
        }
    }

    private static Decoded element(JsonParser p, String batchJson) throws IOException {
        String channel = null;
        String payloadJson = "null";
        String problem = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            if (RendererLink.CHANNEL_KEY.equals(key)) {
                if (value == JsonToken.VALUE_STRING) {
                    channel = p.getText();
                } else {
                    problem = "the channel must be a string, got " + value.asString();
                    p.skipChildren();
                }
            } else if (RendererLink.PAYLOAD_KEY.equals(key)) {
                // Checked and cut out, not parsed: the tree is built only if someone asks for it.
                int start = (int) p.currentTokenLocation().getCharOffset();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                } else {
                    p.finishToken(); // strings are read lazily: read it to its end
                }
                payloadJson = batchJson.substring(start, (int) p.currentLocation().getCharOffset());
            } else {
                p.skipChildren();
            }
        }
        if (problem == null && channel == null) {
            problem = "the message has no channel";
        }
        if (problem == null) {
            problem = ChannelNames.problem(channel);
        }
        return problem != null ? Decoded.refused(problem) : new Decoded(channel, payloadJson, null);
    }
}
