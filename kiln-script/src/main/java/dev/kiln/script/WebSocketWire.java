package dev.kiln.script;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The server's side of the WebSocket wire format (RFC 6455): the handshake's accept value and
 * unmasked frames, for Kiln's own small WebSocket server (the debugger's, {@link DevToolsServer}).
 * Stateless.
 */
final class WebSocketWire {
    private WebSocketWire() {
    }

    /** The {@code Sec-WebSocket-Accept} answer to a client's {@code Sec-WebSocket-Key}. */
    static String acceptKey(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param fin     false for all but the last fragment of a message
     * @param opcode  text 1, binary 2, close 8, ping 9, pong 10 (0 for a continuation)
     */
    static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(payload.length);
        } else if (payload.length < 65536) {
            frame.write(126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(127);
            for (int i = 7; i >= 0; i--) {
                frame.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
            }
        }
        frame.writeBytes(payload);
        return frame.toByteArray();
    }
}
