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
 */
public record IpcConfig(ChannelPolicy policy, long maxPayloadBytes, int backlogCapacity, Duration backlogGrace,
                        int subscriberBufferCapacity, int maxBatchMessages, Executor callbackExecutor) {

    public static final long DEFAULT_MAX_PAYLOAD_BYTES = 64L * 1024 * 1024;

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
                .maxBatchMessages(maxBatchMessages).callbackExecutor(callbackExecutor);
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

        public IpcConfig build() {
            return new IpcConfig(policy, maxPayloadBytes, backlogCapacity, backlogGrace, subscriberBufferCapacity,
                    maxBatchMessages, callbackExecutor);
        }
    }
}
