package dev.kiln.ipc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Turns payloads into JSON text and JSON trees into typed values, with Kiln's error codes. */
final class PayloadCodec {
    /**
     * Reads what the page and script side accept, and no more: nesting up to
     * {@link IpcConfig#MAX_PAYLOAD_DEPTH} inside a batch's array and message object (so one payload
     * read alone fits as well), and strings and names of any length. Size is limited by the payload
     * byte limit, checked on every payload; a string can never have more characters than its payload
     * has bytes, so no string rule may be tighter than it, whatever limit is configured. Writing
     * refuses payloads deeper than the same depth, so a Java app's payload follows the page's rule.
     */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(IpcConfig.MAX_PAYLOAD_DEPTH + 2)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .streamWriteConstraints(StreamWriteConstraints.builder()
                    .maxNestingDepth(IpcConfig.MAX_PAYLOAD_DEPTH)
                    .build())
            .build())
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private PayloadCodec() {
    }

    /**
     * The payload as JSON text: {@code null} becomes {@code "null"}, {@link JsonText} passes as it is,
     * anything else goes through Jackson.
     *
     * @throws KilnException {@link ErrorCode#SERIALIZATION} if it cannot be serialized or exceeds the limit
     */
    static String encode(Object payload, long maxBytes) {
        String json;
        if (payload == null) {
            json = "null";
        } else if (payload instanceof JsonText text) {
            json = text.json();
        } else {
            try {
                json = MAPPER.writeValueAsString(payload);
            } catch (JsonProcessingException | StackOverflowError e) {
                throw new KilnException(ErrorCode.SERIALIZATION,
                        "Payload of type " + payload.getClass().getName() + " cannot be serialized to JSON: "
                                + firstLine(e.getMessage()), e);
            }
        }
        long size = utf8Length(json, maxBytes);
        if (size > maxBytes) {
            throw tooLarge(size, maxBytes);
        }
        return json;
    }

    static KilnException tooLarge(long size, long maxBytes) {
        return new KilnException(ErrorCode.SERIALIZATION,
                "Payload is " + size + " bytes; the limit is " + maxBytes + " bytes");
    }

    static <T> T convert(JsonNode payload, Class<T> type) {
        try {
            return MAPPER.treeToValue(payload, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new KilnException(ErrorCode.SERIALIZATION,
                    "Payload cannot be converted to " + type.getName() + ": " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * The UTF-8 length of the text; exact whenever it could exceed {@code limit}. The page bridge
     * counts the same way (bridge.js {@code utf8Length}).
     */
    static long utf8Length(String s, long limit) {
        if (s.length() * 3L <= limit) {
            return s.length(); // even all three-byte characters would fit: skip the count
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3; // a lone surrogate is written as U+FFFD, three bytes
            }
        }
        return n;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
