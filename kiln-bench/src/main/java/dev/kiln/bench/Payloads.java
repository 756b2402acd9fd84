package dev.kiln.bench;

/** The bench's message payloads: small sequence-numbered JSON messages and large ones. */
final class Payloads {
    /** The size of a small message, in bytes of JSON text. */
    static final int SMALL_BYTES = 50;

    private Payloads() {
    }

    /** {@code {"s":<seq>,"d":"xxx..."}}, padded to exactly {@link #SMALL_BYTES} bytes. */
    static String fiftyBytes(int seq) {
        String s = Integer.toString(seq);
        int pad = SMALL_BYTES - 13 - s.length();
        return "{\"s\":" + s + ",\"d\":\"" + "x".repeat(Math.max(0, pad)) + "\"}";
    }

    /** {@code {"s":<seq>,"d":"xxx..."}} of about {@code bytes} bytes of JSON text. */
    static String large(int seq, int bytes) {
        return "{\"s\":" + seq + ",\"d\":\"" + "x".repeat(bytes) + "\"}";
    }
}
