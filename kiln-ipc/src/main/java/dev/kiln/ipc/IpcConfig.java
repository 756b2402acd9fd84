package dev.kiln.ipc;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The engine's settings. Build one with {@link #builder()}; {@link #defaults()} allows every channel.
 *
 * @param policy                   the default channel capabilities
 * @param maxPayloadBytes          the largest payload, in UTF-8 bytes of its JSON text, in either direction
 *                                 (default 64 MiB); see docs/payloads.md
 * @param backlogCapacity          events kept while nobody listens (default 10,000); older ones are
 *                                 dropped, logged and counted
 * @param backlogGrace             how long a backlog event stays available to further new subscribers
 *                                 after the first one took it (default 1 s)
 * @param subscriberBufferCapacity events buffered per stream whose reader lags (default 1,000,000);
 *                                 past that the oldest are dropped, logged and counted
 * @param maxBatchMessages         the most messages in one delivery to a renderer (default 4,096)
 * @param callbackExecutor         where callbacks run and stream futures complete; {@code null} for
 *                                 Kiln's own pool. Each subscription sees its events in order, one at
 *                                 a time, whatever the executor.
 * @param maxBinaryBytes           the most bytes of binary values one payload may carry outside its JSON
 *                                 text, in either direction (default 1 GiB, also the most there is:
 *                                 {@link #MAX_BINARY_BYTES}); above it, 7010. See docs/payloads.md
 */
public record IpcConfig(ChannelPolicy policy, long maxPayloadBytes, int backlogCapacity, Duration backlogGrace,
                        int subscriberBufferCapacity, int maxBatchMessages, Executor callbackExecutor,
                        long maxBinaryBytes) {

    public static final long DEFAULT_MAX_PAYLOAD_BYTES = 64L * 1024 * 1024;

    /** The default, and the largest, {@link #maxBinaryBytes()}: 1 GiB. */
    public static final long MAX_BINARY_BYTES = 1L << 30;

    /**
     * From this size on a binary the host sends to a page travels outside the JSON text, by a one-time
     * URL the page fetches (512 KiB: measured, docs/bench/binary-transport.md); smaller ones as base64
     * inside it.
     */
    public static final int ATTACH_TO_PAGE_FROM_BYTES = 512 * 1024;

    /** From this size on a binary a page sends is uploaded to the host instead of going as base64 (128 KiB, measured). */
    public static final int UPLOAD_FROM_PAGE_FROM_BYTES = 128 * 1024;

    /**
     * The deepest nesting of arrays and objects a payload may have, in either direction (a scalar has
     * depth 0, {@code []} depth 1, {@code [[]]} depth 2). Fixed, not a setting: the page bridge and the
     * script host check it before sending, the host's decoder refuses anything deeper.
     */
    public static final int MAX_PAYLOAD_DEPTH = 512;

    public IpcConfig {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(backlogGrace, "backlogGrace");
        if (maxPayloadBytes <= 0 || backlogCapacity < 0 || subscriberBufferCapacity <= 0 || maxBatchMessages <= 0) {
            throw new IllegalArgumentException("Limits must be positive");
        }
        if (maxBinaryBytes <= 0 || maxBinaryBytes > MAX_BINARY_BYTES) {
            throw new IllegalArgumentException("maxBinaryBytes must be 1 to " + MAX_BINARY_BYTES + ", got " + maxBinaryBytes);
        }
    }

    /** The settings before {@code maxBinaryBytes} existed, with its default. */
    public IpcConfig(ChannelPolicy policy, long maxPayloadBytes, int backlogCapacity, Duration backlogGrace,
                     int subscriberBufferCapacity, int maxBatchMessages, Executor callbackExecutor) {
        this(policy, maxPayloadBytes, backlogCapacity, backlogGrace, subscriberBufferCapacity, maxBatchMessages,
                callbackExecutor, MAX_BINARY_BYTES);
    }

    /** Every channel allowed, default limits, Kiln's own callback pool. */
    public static IpcConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        return new Builder().policy(policy).maxPayloadBytes(maxPayloadBytes).backlogCapacity(backlogCapacity)
                .backlogGrace(backlogGrace).subscriberBufferCapacity(subscriberBufferCapacity)
                .maxBatchMessages(maxBatchMessages).callbackExecutor(callbackExecutor).maxBinaryBytes(maxBinaryBytes);
    }

    /** Builds an {@link IpcConfig}; every setting has a default. */
    public static final class Builder {
        private ChannelPolicy policy = ChannelPolicy.allowAll();
        private long maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private int backlogCapacity = 10_000;
        private Duration backlogGrace = Duration.ofSeconds(1);
        private int subscriberBufferCapacity = 1_000_000;
        private int maxBatchMessages = 4096;
        private Executor callbackExecutor;
        private long maxBinaryBytes = MAX_BINARY_BYTES;

        private Builder() {
        }

        public Builder policy(ChannelPolicy policy) {
            this.policy = policy;
            return this;
        }

        public Builder maxPayloadBytes(long maxPayloadBytes) {
            this.maxPayloadBytes = maxPayloadBytes;
            return this;
        }

        public Builder backlogCapacity(int backlogCapacity) {
            this.backlogCapacity = backlogCapacity;
            return this;
        }

        public Builder backlogGrace(Duration backlogGrace) {
            this.backlogGrace = backlogGrace;
            return this;
        }

        public Builder subscriberBufferCapacity(int subscriberBufferCapacity) {
            this.subscriberBufferCapacity = subscriberBufferCapacity;
            return this;
        }

        public Builder maxBatchMessages(int maxBatchMessages) {
            this.maxBatchMessages = maxBatchMessages;
            return this;
        }

        public Builder callbackExecutor(Executor callbackExecutor) {
            this.callbackExecutor = callbackExecutor;
            return this;
        }

        public Builder maxBinaryBytes(long maxBinaryBytes) {
            this.maxBinaryBytes = maxBinaryBytes;
            return this;
        }

        public IpcConfig build() {
            return new IpcConfig(policy, maxPayloadBytes, backlogCapacity, backlogGrace, subscriberBufferCapacity,
                    maxBatchMessages, callbackExecutor, maxBinaryBytes);
        }
    }
}
