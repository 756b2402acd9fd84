package dev.kiln.ipc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JavaScript payload check that the page bridge and the script host both run before a send
 * crosses to the engine, so the two apply the same rules with the same 7003 messages.
 *
 * <p>Its source is the resource {@code payload-check.js}: one JavaScript expression whose value is
 * the function {@code payloadJson(payload)} (the payload's JSON text, or {@code undefined} when
 * there is none; a refused payload throws an {@code Error} whose {@code code} is 7003). Its tokens
 * (the depth limit, the byte limit, the code) are filled in here, from the engine's own definitions.
 *
 * <p>Stateless; thread-safe.
 */
public final class PayloadCheckScript {
    private static final Pattern TOKEN = Pattern.compile("@([A-Z][A-Z0-9_]*)@");
    private static final String TEMPLATE = load();

    private PayloadCheckScript() {
    }

    /**
     * The check as a JavaScript expression, to be assigned where it is used:
     * {@code const payloadJson = <this>;}.
     *
     * @param maxPayloadBytes the engine's payload limit in UTF-8 bytes ({@link IpcConfig#maxPayloadBytes()})
     */
    public static String expression(long maxPayloadBytes) {
        return expression(maxPayloadBytes, IpcConfig.MAX_BINARY_BYTES);
    }

    /**
     * The check, with the engine's binary limit ({@link IpcConfig#maxBinaryBytes()}) too; see
     * {@link #expression(long)}.
     */
    public static String expression(long maxPayloadBytes, long maxBinaryBytes) {
        Matcher m = TOKEN.matcher(TEMPLATE);
        StringBuilder out = new StringBuilder(TEMPLATE.length());
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "MAX_PAYLOAD_DEPTH" -> Integer.toString(IpcConfig.MAX_PAYLOAD_DEPTH);
                case "MAX_PAYLOAD_BYTES" -> Long.toString(maxPayloadBytes);
                case "E_SERIALIZATION" -> Integer.toString(ErrorCode.SERIALIZATION.code());
                case "E_BINARY_TOO_LARGE" -> Integer.toString(ErrorCode.BINARY_TOO_LARGE.code());
                case "MAX_BINARY_BYTES" -> Long.toString(maxBinaryBytes);
                case "UPLOAD_FROM_BYTES" -> Integer.toString(IpcConfig.UPLOAD_FROM_PAGE_FROM_BYTES);
                default -> throw new IllegalStateException("payload-check.js has an unknown token " + m.group());
            };
            m.appendReplacement(out, value);
        }
        return m.appendTail(out).toString();
    }

    private static String load() {
        try (InputStream in = PayloadCheckScript.class.getResourceAsStream("payload-check.js")) {
            if (in == null) {
                throw new IllegalStateException("dev/kiln/ipc/payload-check.js missing from the kiln-ipc jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
