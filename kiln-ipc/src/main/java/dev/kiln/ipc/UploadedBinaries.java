package dev.kiln.ipc;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The large binaries renderers uploaded, by token, until the payload that names them is read.
 *
 * <p>Why: a page sends a binary of {@link IpcConfig#UPLOAD_FROM_PAGE_FROM_BYTES} or more as an upload
 * (a one-time URL of its window) and its message as the marker {@code {"\u0000kiln": type, "u": token,
 * "n": size}}; whoever reads the payload ({@link IpcEvent#payload()}, a handler's or stream's decoding,
 * the script host) takes the bytes here. The window side registers each upload under its token when it
 * makes the slot; the page sends the message only once its upload was answered, and the slot's future
 * completes before that answer, so a message never waits here for its bytes.
 *
 * <p>Single use: {@link #take} removes the bytes. Bytes nobody takes within {@link #KEEP} of their
 * arrival (the message was refused, or its event never read) are dropped with a warning; an upload that
 * fails goes at once. Tokens are 256-bit random values that only the uploading page's bridge knows, so
 * one registry serves every engine of the process.
 *
 * <p>Threading: every method may be called from any thread.
 */
public final class UploadedBinaries {
    /** How long uploaded bytes wait for their message's payload to be read. */
    public static final Duration KEEP = Duration.ofSeconds(60);

    /** One upload; {@code bytes} is cleared when taken, so that the expiry task does not keep them alive. */
    private static final class Slot {
        volatile CompletableFuture<byte[]> bytes;

        Slot(CompletableFuture<byte[]> bytes) {
            this.bytes = bytes;
        }
    }

    private static final Map<String, Slot> SLOTS = new ConcurrentHashMap<>();
    private static final System.Logger LOG = System.getLogger("dev.kiln.ipc");

    private UploadedBinaries() {
    }

    /** Registers an upload under its token; the future completes with its bytes, or fails if the upload does. */
    public static void expect(String token, CompletableFuture<byte[]> bytes) {
        Slot slot = new Slot(bytes);
        SLOTS.put(token, slot);
        bytes.whenComplete((b, failure) -> {
            if (failure != null) {
                SLOTS.remove(token, slot);
            } else {
                CompletableFuture.delayedExecutor(KEEP.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                    if (SLOTS.remove(token, slot)) {
                        slot.bytes = null;
                        LOG.log(System.Logger.Level.WARNING, "[" + ErrorCode.CHANNEL_RECV.code() + "] Dropped "
                                + b.length + " uploaded bytes whose message was not read within " + KEEP.toSeconds() + " s");
                    }
                });
            }
        });
    }

    /**
     * The bytes uploaded under the token, once.
     *
     * @throws KilnException {@link ErrorCode#CHANNEL_RECV} if there are none (unknown token, taken already,
     *                       expired, or the upload failed or has not finished)
     */
    public static byte[] take(String token) {
        Slot slot = SLOTS.remove(token);
        CompletableFuture<byte[]> bytes = slot == null ? null : slot.bytes;
        if (slot != null) {
            slot.bytes = null;
        }
        if (bytes == null || !bytes.isDone() || bytes.isCompletedExceptionally()) {
            throw new KilnException(ErrorCode.CHANNEL_RECV, "A payload names an uploaded binary that is not there"
                    + " (it failed, expired after " + KEEP.toSeconds() + " s, or was read already)");
        }
        return bytes.join();
    }

    /**
     * Hands over bytes a script host's payload names by the returned token (its JSON text marks them
     * {@code {"\u0000kiln": type, "u": token, "n": size}}); the engine takes them as the message's
     * attachments when it sends it. The array is not copied.
     */
    public static String put(byte[] bytes) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        expect(token, CompletableFuture.completedFuture(bytes));
        return token;
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** How many uploads wait to be taken; for tests. */
    static int pending() {
        return SLOTS.size();
    }
}
