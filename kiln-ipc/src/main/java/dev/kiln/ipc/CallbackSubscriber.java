package dev.kiln.ipc;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A callback subscription: each event is run through a {@link SerialExecutor}, so the callback
 * sees events one at a time and in order, on the runtime's callback executor.
 */
final class CallbackSubscriber extends Subscriber {
    private final Consumer<IpcEvent> callback;
    private final SerialExecutor mailbox;
    private volatile boolean active = true;

    CallbackSubscriber(EventHub hub, Predicate<IpcEvent> filter, Consumer<IpcEvent> callback, SerialExecutor mailbox) {
        super(hub, filter);
        this.callback = callback;
        this.mailbox = mailbox;
    }

    @Override
    SerialExecutor offer(IpcEvent event) {
        // Re-checked when the task runs, so that nothing is delivered after unsubscribe() returns.
        return mailbox.enqueue(() -> {
            if (active) {
                callback.accept(event);
            }
        }) ? mailbox : null;
    }

    @Override
    void end() {
        active = false;
    }

    @Override
    CompletableFuture<Void> finish() {
        CompletableFuture<Void> finished = new CompletableFuture<>();
        mailbox.execute(() -> {
            active = false;
            finished.complete(null);
        });
        return finished;
    }

    @Override
    public boolean isActive() {
        return active;
    }
}
