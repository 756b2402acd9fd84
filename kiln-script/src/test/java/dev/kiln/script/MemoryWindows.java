package dev.kiln.script;

import dev.kiln.ipc.Ipc;
import dev.kiln.ipc.IpcConfig;
import dev.kiln.ipc.KilnException;
import dev.kiln.ipc.OutboundMessage;
import dev.kiln.ipc.RendererLink;
import dev.kiln.window.AppWindow;
import dev.kiln.window.WindowOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A window system of in-memory renderers over a real engine: tests attach "pages" that record what
 * the script sends and inject what a page would send. createWindow is not offered (real windows are
 * tested through kiln-window's Desktop).
 */
final class MemoryWindows implements WindowSystem {
    final Ipc ipc;
    final Map<String, Page> pages = new ConcurrentHashMap<>();

    /** One in-memory renderer: its link into the engine and the messages it received. */
    final class Page {
        final String id;
        final RendererLink link;
        final List<OutboundMessage> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile int closeAfter = Integer.MAX_VALUE;
        private volatile java.util.function.Consumer<OutboundMessage> onMessage = m -> { };
        private volatile boolean recording = true;
        private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

        Page(String id, List<String> channels, boolean ready) {
            this.id = id;
            this.link = ipc.attach(id, this::deliver, channels);
            if (ready) {
                link.ready();
            }
        }

        private java.util.concurrent.CompletionStage<dev.kiln.ipc.RendererTransport.Receipt> deliver(List<OutboundMessage> batch) {
            for (OutboundMessage m : batch) {
                if (recording) {
                    received.add(m);
                }
                onMessage.accept(m);
            }
            if (received.size() >= closeAfter) {
                // deliver() runs on the engine's dispatch thread and must return at once
                new Thread(() -> MemoryWindows.this.close(id)).start();
            }
            return dev.kiln.ipc.RendererTransport.TAKEN;
        }

        /** Closes this page (close event, detach) once it has received n messages. */
        Page closeAfter(int n) {
            closeAfter = n;
            return this;
        }

        /** Stops keeping what it receives (copy-on-write: a flood would cost quadratic time); for throughput runs. */
        Page recordNothing() {
            recording = false;
            return this;
        }

        /** Calls back (on the engine's dispatch thread) for each message the script sends to this page. */
        Page onMessage(java.util.function.Consumer<OutboundMessage> callback) {
            onMessage = callback;
            return this;
        }

        /** Sends one message as the page's window.runtime.send would. */
        void send(String channel, String payloadJson) {
            link.receive("[{\"c\":" + Json.write(channel) + (payloadJson == null ? "" : ",\"p\":" + payloadJson) + "}]");
        }

        void close() {
            MemoryWindows.this.close(id);
        }
    }

    MemoryWindows(IpcConfig config) {
        this.ipc = Ipc.create(config);
    }

    /**
     * Runs {@code action} on another thread once the script has at least {@code subscribers} streams
     * and callbacks open, so that pages act only after the script listens. If that does not happen
     * within 30 s the action never runs and says so on stderr (the test then fails on its own
     * watchdog or timeout), so that no thread polls forever.
     */
    void whenSubscribed(int subscribers, Runnable action) {
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (ipc.stats().subscribers() < subscribers) {
                if (System.nanoTime() > deadline || ipc.terminated().isDone()) {
                    System.err.println("TEST: the script never had " + subscribers + " subscribers; the pages did nothing");
                    return;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
            action.run();
        }, "test-pages");
        t.setDaemon(true);
        t.start();
    }

    Page open(String id) {
        return open(id, true);
    }

    /** A page whose document never becomes ready: what the script sends it waits in the engine. */
    Page openNotReady(String id) {
        return open(id, false);
    }

    private Page open(String id, boolean ready) {
        Page p = new Page(id, null, ready);
        pages.put(id, p);
        return p;
    }

    void close(String id) {
        Page p = pages.get(id);
        if (p != null && p.closing.compareAndSet(false, true)) {
            // The close event is queued before the page stops counting as open, since the script
            // shuts the runtime down once none is (Desktop gets that order from closing windows and
            // shutting down both on the FX thread), and before detach.
            p.link.systemEvent(dev.kiln.ipc.EventType.CLOSE, null);
            pages.remove(id);
            p.link.detach();
            if (pages.isEmpty()) {
                ipc.shutdown(); // as Desktop does when its last window closes
            }
        }
    }

    @Override
    public Ipc ipc() {
        return ipc;
    }

    @Override
    public CompletableFuture<AppWindow> createWindow(WindowOptions options) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no real windows in this test"));
    }

    @Override
    public Optional<AppWindow> window(String id) {
        return Optional.empty();
    }

    @Override
    public java.util.Collection<AppWindow> windows() {
        return List.of();
    }

    @Override
    public CompletableFuture<Boolean> closeWindow(String id) {
        if (!pages.containsKey(id)) {
            return CompletableFuture.completedFuture(false);
        }
        close(id);
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<List<dev.kiln.window.Monitor>> monitors() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("in-memory renderers have no screens"));
    }

    @Override
    public boolean hasOpenWindows() {
        return !pages.isEmpty();
    }

    @Override
    public void shutdown() {
        pages.keySet().forEach(this::close);
        ipc.shutdown();
    }

    @Override
    public CompletableFuture<Void> terminated() {
        return ipc.terminated();
    }
}
