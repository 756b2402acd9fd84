package dev.kiln.window;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The callbacks a {@link Desktop} keeps for one kind of notice (console lines, navigations,
 * stalls...), told in the order they were added; a callback that throws is logged and does not
 * keep the others from hearing.
 *
 * <p>Threading: any thread may add and tell; {@link #tell} runs the callbacks on the calling
 * thread, {@link #tellOn} on the given executor, in one task.
 */
final class Listeners<T> {
    private static final System.Logger LOG = System.getLogger("dev.kiln.window");

    private final String kind;
    private final List<Consumer<T>> callbacks = new CopyOnWriteArrayList<>();

    /** {@code kind} names the listeners in the warning when one throws, e.g. "console". */
    Listeners(String kind) {
        this.kind = kind;
    }

    void add(Consumer<T> callback) {
        callbacks.add(Objects.requireNonNull(callback, "callback"));
    }

    void remove(Consumer<T> callback) {
        callbacks.remove(callback);
    }

    /** Tells every callback now, on this thread. */
    void tell(T notice) {
        for (Consumer<T> c : callbacks) {
            try {
                c.accept(notice);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "A " + kind + " listener threw", e);
            }
        }
    }

    /** Tells every callback in one task on the executor; nothing is posted when there are none. */
    void tellOn(Executor executor, T notice) {
        if (!callbacks.isEmpty()) {
            executor.execute(() -> tell(notice));
        }
    }
}
