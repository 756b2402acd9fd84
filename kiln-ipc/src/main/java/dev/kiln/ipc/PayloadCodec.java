package dev.kiln.ipc;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Base64;
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
                json = write(payload);
            } catch (IOException | StackOverflowError e) {
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

    /** Kiln's binary marker key, as the page's payload check writes it: {@code "\u0000kiln"}. */
    static final String BINARY_KEY = "\u0000kiln";
    /** How the marker key looks in JSON text. */
    private static final String BINARY_MARK = "\"\\u0000kiln\"";
    private static final String BINARY_BYTES = "b";

    /** JSON text of the value, with binary values (byte[], ByteBuffer, BinaryNode) as Kiln's binary marker objects. */
    private static String write(Object payload) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new BinaryAsMarker(MAPPER.getFactory().createGenerator(out))) {
            MAPPER.writeValue(g, payload);
        }
        return out.toString();
    }

    /**
     * Writes what Jackson writes as base64 (byte[], ByteBuffer, a tree's BinaryNode) as the marker
     * object {@code {"\u0000kiln": "Uint8Array", "b": base64}}, which the page and the script host
     * read back as a {@code Uint8Array}.
     */
    private static final class BinaryAsMarker extends JsonGeneratorDelegate {
        BinaryAsMarker(JsonGenerator d) {
            super(d, false);
        }

        @Override
        public void writeBinary(Base64Variant variant, byte[] data, int offset, int len) throws IOException {
            delegate.writeStartObject();
            delegate.writeStringField(BINARY_KEY, "Uint8Array");
            delegate.writeFieldName(BINARY_BYTES);
            delegate.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, data, offset, len);
            delegate.writeEndObject();
        }

        @Override
        public void writeBinary(byte[] data, int offset, int len) throws IOException {
            writeBinary(Base64Variants.MIME_NO_LINEFEEDS, data, offset, len);
        }

        @Override
        public void writeBinary(byte[] data) throws IOException {
            writeBinary(Base64Variants.MIME_NO_LINEFEEDS, data, 0, data.length);
        }

        @Override
        public int writeBinary(Base64Variant variant, java.io.InputStream data, int dataLength) throws IOException {
            byte[] bytes = dataLength < 0 ? data.readAllBytes() : data.readNBytes(dataLength);
            writeBinary(variant, bytes, 0, bytes.length);
            return bytes.length;
        }

        @Override
        public int writeBinary(java.io.InputStream data, int dataLength) throws IOException {
            return writeBinary(Base64Variants.MIME_NO_LINEFEEDS, data, dataLength);
        }
    }

    /** The payload's tree, with Kiln's binary marker objects as {@link BinaryNode}s. */
    static JsonNode readTree(String json) throws JsonProcessingException {
        JsonNode tree = MAPPER.readTree(json);
        return json.contains(BINARY_MARK) ? revive(tree) : tree;
    }

    private static JsonNode revive(JsonNode node) {
        if (node instanceof ObjectNode o) {
            JsonNode type = o.get(BINARY_KEY);
            JsonNode bytes = o.get(BINARY_BYTES);
            if (type != null && type.isTextual() && bytes != null && bytes.isTextual()) {
                try {
                    return BinaryNode.valueOf(Base64.getDecoder().decode(bytes.textValue()));
                } catch (IllegalArgumentException e) {
                    throw new KilnException(ErrorCode.SERIALIZATION, "A binary value is not valid base64: " + e.getMessage());
                }
            }
            o.fields().forEachRemaining(e -> e.setValue(revive(e.getValue())));
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, revive(a.get(i)));
            }
        }
        return node;
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
