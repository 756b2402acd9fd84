package dev.kiln.ipc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The engine's side of one attached renderer: what a transport calls when its page says something.
 *
 * <p>Threading: every method may be called from any thread, including a UI thread, and returns at
 * once. Large batches are parsed on the engine's dispatch thread; a small one (up to 16 KiB of
 * text) may be parsed and fanned out on the calling thread, which takes microseconds and saves a
 * thread hand-off per round trip. Calls from one thread are processed in the order they were made.
 *
 * <p>Wire format of {@link #receive(String)}, and of what the engine delivers
 * ({@link OutboundMessage#wireJson()}): a JSON array of objects {@code {"c": channel, "p": payload}}
 * ({@link #CHANNEL_KEY}, {@link #PAYLOAD_KEY}); a missing {@code p} means no payload. A step of a
 * call or stream also has {@code "k"} ({@link #KIND_KEY}, a {@link MessageKind} letter), {@code "i"}
 * (the call or stream id, {@link #CALL_KEY}), for an invoke with a deadline {@code "t"}
 * ({@link #DEADLINE_KEY}, epoch milliseconds), and for a stream request or a credit {@code "n"}
 * ({@link #CREDIT_KEY}). A payload's binary is a marker object {@code {"\u0000kiln": type, ...}}: with
 * {@code "b"} its bytes in base64; host to page with {@code "a"} an attachment index (see
 * {@link #ATTACHMENTS_KEY}); page to host with {@code "u"} the token of the bytes the page uploaded
 * ({@link UploadedBinaries}).
 */
public interface RendererLink {
    /** The key of the channel in an inbound message object. */
    String CHANNEL_KEY = "c";
    /** The key of the payload in an inbound message object. */
    String PAYLOAD_KEY = "p";
    /** The key of a call step's {@link MessageKind} letter; absent for a plain message. */
    String KIND_KEY = "k";
    /** The key of a call step's call id. */
    String CALL_KEY = "i";
    /** The key of an invoke's deadline, in epoch milliseconds. */
    String DEADLINE_KEY = "t";
    /** The key of a stream step's credit: how many more values the consumer takes. */
    String CREDIT_KEY = "n";
    /**
     * The key of a delivered message's attachment tokens ({@link OutboundMessage#wireJson(java.util.List)}):
     * the one-time tokens from which the page fetches the binaries its payload's markers
     * {@code {"\u0000kiln": type, "a": i, "n": size}} stand for.
     */
    String ATTACHMENTS_KEY = "u";
    /** The longest call id a renderer may use. */
    int MAX_CALL_ID_LENGTH = 64;

    /** The window this link belongs to. */
    String windowId();

    /** The page is ready: flush the queued messages in order and deliver the next ones at once. */
    void ready();

    /** The page is being replaced (reload, navigation): queue messages until it is ready again. */
    void loading();

    /**
     * A batch of messages from the page, as JSON text. Malformed, denied or oversized messages
     * are dropped with a logged warning and counted; the rest of the batch is still delivered.
     */
    void receive(String batchJson);

    /** A window system event; not subject to channel capabilities. */
    void systemEvent(EventType type, JsonNode payload);

    /**
     * The window is gone: sends still queued for it fail with {@link ErrorCode#WINDOW_NOT_FOUND},
     * and later sends to its id fail the same way. Idempotent.
     */
    void detach();
}
