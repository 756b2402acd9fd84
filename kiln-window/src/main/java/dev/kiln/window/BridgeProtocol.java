package dev.kiln.window;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.EventType;
import dev.kiln.ipc.MessageKind;
import dev.kiln.ipc.PayloadCheckScript;
import dev.kiln.ipc.RendererLink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The wire names, codes and limits the page bridge shares with the host, and the page script built
 * from them.
 *
 * <p>The script comes from the resource {@code bridge.js}; every {@code @NAME@} token in it is
 * replaced by a JSON literal defined here, so the page and the host cannot drift apart; the payload
 * check is kiln-ipc's {@link PayloadCheckScript}, which the script host runs too. The marker and
 * member names carry a per-launch secret, so a page of another origin cannot guess them. They
 * are no secret from the app's own scripts (which can fetch the page's HTML); what stops those
 * from getting a second bridge is {@link BridgeGrant}'s Java-side record of the granted document.
 *
 * <p>Immutable; thread-safe.
 */
final class BridgeProtocol {
    /** The engine's channel name limit (dev.kiln.ipc.ChannelNames), checked in the page before sending. */
    static final int MAX_CHANNEL_LENGTH = dev.kiln.ipc.ChannelNames.MAX_LENGTH;

    /** How many host messages a document holds for channels it has no listener for yet. */
    static final int HELD_MAX_MESSAGES = 1_000;
    /** How many bytes (UTF-8 JSON of the payloads) a document holds for channels with no listener yet. */
    static final long HELD_MAX_BYTES = 8L * 1024 * 1024;

    /**
     * How long a host call waits in the page for a handler of its channel (a framework registers
     * after DOMContentLoaded); the host's own wait has the same length.
     */
    static final long NO_HANDLER_GRACE_MILLIS = 1_000;

    /** How many values a page's stream reader takes ahead when it does not say ({@code highWaterMark}). */
    static final int DEFAULT_HIGH_WATER_MARK = 16;

    private final String marker;
    private final String hostMember;
    private final String portMember;
    private final String script;

    /**
     * Below this size the page gets an attachment by XHR, from it on by {@code fetch}: XHR was 1.6x
     * faster at 1 MiB, {@code fetch} 1.2x to 1.3x faster from 10 MiB (docs/bench/binary-transport.md).
     */
    static final int FETCH_FROM_BYTES = 4 * 1024 * 1024;

    BridgeProtocol(long maxPayloadBytes, long maxBinaryBytes, boolean pageConsole) {
        String secret = randomToken(12);
        this.marker = "kiln-bridge:" + secret;
        this.hostMember = "__kilnHost_" + secret;
        this.portMember = "__kilnPort_" + secret;
        Map<String, String> values = new LinkedHashMap<>();
        values.put("MARKER", quote(marker));
        values.put("HOST_MEMBER", quote(hostMember));
        values.put("PORT_MEMBER", quote(portMember));
        values.put("CHANNEL_KEY", quote(RendererLink.CHANNEL_KEY));
        values.put("PAYLOAD_KEY", quote(RendererLink.PAYLOAD_KEY));
        values.put("KIND_KEY", quote(RendererLink.KIND_KEY));
        values.put("CALL_KEY", quote(RendererLink.CALL_KEY));
        values.put("DEADLINE_KEY", quote(RendererLink.DEADLINE_KEY));
        values.put("CREDIT_KEY", quote(RendererLink.CREDIT_KEY));
        values.put("ATTACHMENTS_KEY", quote(RendererLink.ATTACHMENTS_KEY));
        values.put("BLOB_PREFIX", quote(OneTimeBlobs.PREFIX));
        values.put("BLOB_HEADER", quote(OneTimeBlobs.WINDOW_HEADER));
        values.put("FETCH_FROM_BYTES", Integer.toString(FETCH_FROM_BYTES));
        values.put("UPLOAD_PIECE_BYTES", Integer.toString(OneTimeBlobs.UPLOAD_PIECE_BYTES));
        values.put("DEFAULT_HIGH_WATER_MARK", Integer.toString(DEFAULT_HIGH_WATER_MARK));
        for (MessageKind k : MessageKind.values()) {
            if (k.letter() != null) {
                values.put("K_" + k.name(), quote(k.letter()));
            }
        }
        values.put("NO_HANDLER_GRACE_MS", Long.toString(NO_HANDLER_GRACE_MILLIS));
        values.put("MAX_CHANNEL_LENGTH", Integer.toString(MAX_CHANNEL_LENGTH));
        values.put("HELD_MAX_MESSAGES", Integer.toString(HELD_MAX_MESSAGES));
        values.put("HELD_MAX_BYTES", Long.toString(HELD_MAX_BYTES));
        values.put("PAYLOAD_CHECK", PayloadCheckScript.expression(maxPayloadBytes, maxBinaryBytes));
        values.put("RESERVED_CHANNELS", Arrays.stream(EventType.values())
                .map(t -> quote(t.wireName())).collect(Collectors.joining(",", "[", "]")));
        for (ErrorCode c : ErrorCode.values()) {
            values.put("E_" + c.name(), Integer.toString(c.code()));
        }
        values.put("PAGE_CONSOLE", Boolean.toString(pageConsole));
        values.put("CONSOLE_MAX_CHARS", Integer.toString(PageConsole.MAX_CHARS));
        this.script = template(resource("bridge.js"), values);
    }

    /** The text the page's bridge passes to {@code alert} to ask for the host object. */
    String marker() {
        return marker;
    }

    /** The window property under which the host hands the page its Java object. */
    String hostMember() {
        return hostMember;
    }

    /** The window property under which the page hands the host its delivery port. */
    String portMember() {
        return portMember;
    }

    /** The page script, ready to be inlined in a {@code <script>} element. */
    String script() {
        return script;
    }

    /** The text as a JSON (and JavaScript) string literal. */
    static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).replace('-', 'x').replace('_', 'y');
    }

    /** A script shipped next to this class, such as {@code bridge.js}. */
    static String resource(String name) {
        try (InputStream in = BridgeProtocol.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource dev/kiln/window/" + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (text.contains("</script")) {
                throw new IllegalStateException(name + " must not contain </script");
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String template(String text, Map<String, String> values) {
        String out = text;
        for (Map.Entry<String, String> v : values.entrySet()) {
            out = out.replace("@" + v.getKey() + "@", v.getValue());
        }
        int left = out.indexOf('@');
        while (left >= 0) {
            int right = out.indexOf('@', left + 1);
            if (right > left && out.substring(left + 1, right).matches("[A-Z_]+")) {
                throw new IllegalStateException("bridge.js has an unknown token " + out.substring(left, right + 1));
            }
            left = right;
        }
        if (out.contains("</script")) {
            throw new IllegalStateException("bridge.js must not contain </script");
        }
        return out;
    }
}
