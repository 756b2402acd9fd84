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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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
        return encode(payload, maxBytes, Long.MAX_VALUE, null).json();
    }

    /** A payload as JSON text, and the large binaries kept out of it (see {@link OutboundMessage#attachments()}). */
    record Encoded(String json, List<ByteBuffer> attachments) {
    }

    /**
     * The payload as JSON text for a renderer, each binary of {@link IpcConfig#ATTACH_TO_PAGE_FROM_BYTES} or
     * more kept out of it as an attachment (the sender's bytes, not a copy); see {@link #encode(Object, long)}.
     * The JSON limit counts the text only; the binaries, all of them, count against {@code maxBinaryBytes}.
     *
     * @throws KilnException {@link ErrorCode#SERIALIZATION} as {@link #encode(Object, long)};
     *                       {@link ErrorCode#BINARY_TOO_LARGE} if its binaries have more than {@code maxBinaryBytes}
     */
    static Encoded encodeOutbound(Object payload, IpcConfig config) {
        return encode(payload, config.maxPayloadBytes(), config.maxBinaryBytes(), new ArrayList<>());
    }

    private static Encoded encode(Object payload, long maxBytes, long maxBinaryBytes, List<ByteBuffer> attachments) {
        String json;
        if (payload == null) {
            json = "null";
        } else if (payload instanceof JsonText text) {
            json = attachments == null ? text.json() : attachUploaded(text.json(), maxBinaryBytes, attachments);
        } else {
            try {
                json = write(payload, maxBinaryBytes, attachments);
            } catch (KilnException e) {
                throw e;
            } catch (IOException | StackOverflowError e) {
                for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                    if (c instanceof KilnException k) {
                        throw k; // the binary limit, thrown from inside Jackson's serializers
                    }
                }
                throw new KilnException(ErrorCode.SERIALIZATION,
                        "Payload of type " + payload.getClass().getName() + " cannot be serialized to JSON: "
                                + firstLine(e.getMessage()), e);
            }
        }
        long size = utf8Length(json, maxBytes);
        if (size > maxBytes) {
            throw tooLarge(size, maxBytes);
        }
        return new Encoded(json, attachments == null || attachments.isEmpty() ? List.of() : attachments);
    }

    /** Kiln's binary marker key, as the page's payload check writes it: {@code "\u0000kiln"}. */
    static final String BINARY_KEY = "\u0000kiln";
    /** How the marker key looks in JSON text. */
    private static final String BINARY_MARK = "\"\\u0000kiln\"";
    private static final String BINARY_BYTES = "b";
    /** The marker's key for an attachment index, host to page. */
    private static final String BINARY_ATTACHMENT = "a";
    /** The marker's key for an uploaded binary's token, page to host. */
    private static final String BINARY_UPLOAD = "u";
    /** The marker's key for the size of a binary that is not in the text. */
    private static final String BINARY_UPLOAD_SIZE = "n";

    /**
     * JSON text of the value, with binary values (byte[], ByteBuffer, BinaryNode) as Kiln's binary marker
     * objects; with an attachment list, the large ones go there.
     */
    private static String write(Object payload, long maxBinaryBytes, List<ByteBuffer> attachments) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new BinaryAsMarker(MAPPER.getFactory().createGenerator(out), maxBinaryBytes, attachments)) {
            MAPPER.writeValue(g, payload);
        }
        return out.toString();
    }

    /** The text of an attachment's marker, as {@link #ATTACHMENT_MARKER} finds it. */
    static String attachmentMarker(String type, int index, int size) {
        return "{" + BINARY_MARK + ":\"" + type + "\",\"" + BINARY_ATTACHMENT + "\":" + index + ",\"" + BINARY_UPLOAD_SIZE
                + "\":" + size + "}";
    }

    /*
     * The markers as the codecs write them (Jackson here, JSON.stringify in payload-check.js): compact,
     * keys in this order. Outside a string a '"' always starts or ends one, so "{\"" can only begin an
     * object: no text inside a string can match.
     */
    private static final java.util.regex.Pattern ATTACHMENT_MARKER = java.util.regex.Pattern.compile(
            "\\{\"\\\\u0000kiln\":\"(\\w+)\",\"a\":(\\d+),\"n\":(\\d+)}");
    private static final java.util.regex.Pattern UPLOAD_MARKER = java.util.regex.Pattern.compile(
            "\\{\"\\\\u0000kiln\":\"(\\w+)\",\"u\":\"([A-Za-z0-9_,-]+)\",\"n\":(\\d+)}");

    /** The JSON text with each attachment's marker replaced by a base64 marker of its bytes, of the same type. */
    static String inlineAttachments(String json, List<ByteBuffer> attachments) {
        java.util.regex.Matcher m = ATTACHMENT_MARKER.matcher(json);
        StringBuilder out = new StringBuilder(json.length() + attachments.stream().mapToInt(b -> b.remaining() / 3 * 4 + 40).sum());
        while (m.find()) {
            ByteBuffer bytes = attachments.get(Integer.parseInt(m.group(2))).duplicate();
            m.appendReplacement(out, "");
            out.append('{').append(BINARY_MARK).append(":\"").append(m.group(1)).append("\",\"").append(BINARY_BYTES)
                    .append("\":\"").append(java.nio.charset.StandardCharsets.ISO_8859_1.decode(Base64.getEncoder().encode(bytes)))
                    .append("\"}");
        }
        return m.appendTail(out).toString();
    }

    /**
     * JSON text a script host made, with the binaries it handed over beforehand ({@link UploadedBinaries},
     * marked by token) taken as attachments: their markers become attachment markers of the same type.
     */
    private static String attachUploaded(String json, long maxBinaryBytes, List<ByteBuffer> attachments) {
        if (!json.contains(BINARY_MARK)) {
            return json;
        }
        java.util.regex.Matcher m = UPLOAD_MARKER.matcher(json);
        StringBuilder out = null;
        long total = 0;
        while (m.find()) {
            byte[] bytes = UploadedBinaries.take(m.group(2));
            total += bytes.length;
            if (total > maxBinaryBytes) {
                throw binaryTooLarge(total, maxBinaryBytes);
            }
            out = out == null ? new StringBuilder(json.length()) : out;
            m.appendReplacement(out, ""); // the marker's backslash is not a replacement escape
            out.append(attachmentMarker(m.group(1), attachments.size(), bytes.length));
            attachments.add(ByteBuffer.wrap(bytes));
        }
        return out == null ? json : m.appendTail(out).toString();
    }

    /**
     * Writes what Jackson writes as base64 (byte[], ByteBuffer, a tree's BinaryNode) as the marker
     * object {@code {"\u0000kiln": "Uint8Array", "b": base64}}, which the page and the script host
     * read back as a {@code Uint8Array}; with an attachment list, one of
     * {@link IpcConfig#ATTACH_TO_PAGE_FROM_BYTES} or more as an attachment marker instead. Counts the
     * binaries' bytes against the limit.
     */
    private static final class BinaryAsMarker extends JsonGeneratorDelegate {
        private final long maxBinaryBytes;
        private final List<ByteBuffer> attachments;
        private long binaryBytes;

        BinaryAsMarker(JsonGenerator d, long maxBinaryBytes, List<ByteBuffer> attachments) {
            super(d, false);
            this.maxBinaryBytes = maxBinaryBytes;
            this.attachments = attachments;
        }

        @Override
        public void writeBinary(Base64Variant variant, byte[] data, int offset, int len) throws IOException {
            binaryBytes += len;
            if (binaryBytes > maxBinaryBytes) {
                throw binaryTooLarge(binaryBytes, maxBinaryBytes);
            }
            if (attachments != null && len >= IpcConfig.ATTACH_TO_PAGE_FROM_BYTES) {
                delegate.writeRawValue(attachmentMarker("Uint8Array", attachments.size(), len));
                attachments.add(ByteBuffer.wrap(data, offset, len).slice());
                return;
            }
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
            JsonNode upload = o.get(BINARY_UPLOAD);
            if (type != null && type.isTextual() && upload != null && upload.isTextual()) {
                return BinaryNode.valueOf(UploadedBinaries.take(upload.textValue()));
            }
            o.fields().forEachRemaining(e -> e.setValue(revive(e.getValue())));
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, revive(a.get(i)));
            }
        }
        return node;
    }

    static KilnException binaryTooLarge(long size, long maxBytes) {
        return new KilnException(ErrorCode.BINARY_TOO_LARGE, "The payload's binary values have " + size
                + " bytes or more; the limit is " + maxBytes + " bytes");
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
