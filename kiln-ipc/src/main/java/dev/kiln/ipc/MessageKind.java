package dev.kiln.ipc;

/**
 * What a wire message is: a one-way message, or a step of a call. Its letter is the message
 * object's {@link RendererLink#KIND_KEY} value; a message without one is a {@link #MESSAGE}.
 */
public enum MessageKind {
    /** A one-way message on a channel. */
    MESSAGE(null),
    /** A call: a channel, a payload, a call id and an optional deadline. */
    INVOKE("i"),
    /** A call's result; no payload stands for {@code undefined} (Java: {@code null}). */
    RESULT("r"),
    /** A call's failure; the payload is {@code {code, message, data?}}. */
    ERROR("e"),
    /** The caller gave up (cancelled, timed out, stopped reading a stream): the producer's signal is aborted. */
    CANCEL("x"),
    /** A stream request: a channel, a payload, a stream id and the consumer's first credit. */
    STREAM("s"),
    /** A stream's next value. */
    ITEM("y"),
    /** A stream's normal end; a failed stream ends with an {@link #ERROR} instead. */
    END("d"),
    /** The consumer took values: the producer may send this many more. */
    CREDIT("g");

    private final String letter;

    MessageKind(String letter) {
        this.letter = letter;
    }

    /** The wire letter, or {@code null} for a plain message. */
    public String letter() {
        return letter;
    }

    /** The kind with the given wire letter, or {@code null} if there is none. */
    public static MessageKind fromLetter(String letter) {
        for (MessageKind k : values()) {
            if (k.letter != null && k.letter.equals(letter)) {
                return k;
            }
        }
        return null;
    }
}
