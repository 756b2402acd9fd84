package dev.kiln.script;

import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.interop.IV8InspectorListener;
import com.caoccao.javet.interop.V8Inspector;
import com.caoccao.javet.interop.V8Runtime;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * {@code kiln run --inspect}: the app's V8 runtime over the Chrome DevTools Protocol, through V8's
 * inspector (Javet's {@link V8Inspector}) and a {@link DevToolsServer}.
 *
 * <p>Threading: V8's inspector runs on the loop thread. While the script runs or the loop waits for
 * work, a message from the debugger is posted to the loop as a task and dispatched there. While V8
 * is paused (a breakpoint, a step, or waiting for the debugger with {@code --inspect-brk}), the loop
 * thread is inside the inspector's nested message loop, which drains Javet's message queue; a
 * message is then handed to that queue directly from the server's thread ({@link V8Inspector#sendRequest}
 * only enqueues while a nested loop runs). Responses and notifications arrive on the loop thread and
 * are sent by the server's writer thread.
 *
 * @param address where to listen
 * @param breakOnStart {@code --inspect-brk}: wait for a debugger, then pause before main's first statement
 */
record Debugger(InetSocketAddress address, boolean breakOnStart) {

    /** A started debugging session of one runtime. */
    static final class Session implements AutoCloseable {
        private final V8Inspector inspector;
        private final EventLoop loop;
        private volatile DevToolsServer server; // set once the server listens
        // The loop thread is in the inspector's nested message loop: V8 is paused.
        private volatile boolean nested;

        // --inspect-brk: the loop thread waits for the debugger's go, dispatching its messages meanwhile
        private volatile boolean waiting;
        private volatile boolean released;
        private final java.util.concurrent.LinkedBlockingQueue<String> beforeStart = new java.util.concurrent.LinkedBlockingQueue<>();

        private Session(V8Inspector inspector, EventLoop loop, boolean breakOnStart) {
            this.inspector = inspector;
            this.loop = loop;
            this.waiting = breakOnStart;
        }

        void toDebugger(String message) {
            DevToolsServer s = server;
            if (s != null) {
                s.send(message);
            }
        }

        void fromDebugger(String message) {
            if (waiting) {
                beforeStart.add(message);
                if (!waiting && beforeStart.remove(message)) { // the wait ended meanwhile
                    loop.execute(() -> sendQuietly(message));
                }
            } else if (nested) {
                sendQuietly(message);
            } else {
                loop.execute(() -> sendQuietly(message));
            }
        }

        private void sendQuietly(String message) {
            try {
                inspector.sendRequest(message);
            } catch (JavetException | RuntimeException e) {
                // a closed runtime: the session is ending
            }
        }

        /**
         * Loop thread: with --inspect-brk, dispatches the debugger's messages here until it sends
         * {@code Runtime.runIfWaitingForDebugger}; main's first line then stops it (see
         * {@link ModuleLoader#pauseAtStartOf}). Kiln waits itself rather than in Javet's wait loop,
         * which misses a go that arrives before it starts.
         *
         * @return false if {@code giveUp} said so first (Ctrl-C): main is then not to run
         */
        boolean waitForDebugger(java.util.function.BooleanSupplier giveUp) throws InterruptedException {
            while (!released) {
                if (giveUp.getAsBoolean()) {
                    return false;
                }
                String message = beforeStart.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (message != null) {
                    sendQuietly(message);
                }
            }
            waiting = false;
            for (String message; (message = beforeStart.poll()) != null; ) {
                sendQuietly(message);
            }
            return true;
        }

        @Override
        public void close() {
            DevToolsServer s = server;
            if (s != null) {
                s.close();
            }
            try {
                inspector.close();
            } catch (JavetException e) {
                // closing anyway
            }
        }
    }

    /**
     * Loop thread: creates the inspector, starts the server and prints where to attach.
     *
     * @throws AppError with {@link AppError#CONFIG} if the address cannot be listened on
     */
    Session start(V8Runtime v8, EventLoop loop, Path mainScript, PrintStream err) {
        V8Inspector inspector = v8.createV8Inspector("Kiln");
        Session[] session = {new Session(inspector, loop, breakOnStart)};
        inspector.addListeners(new IV8InspectorListener() {
            @Override
            public void flushProtocolNotifications() {
            }

            @Override
            public void receiveNotification(String message) {
                // Paused: until resumed, the loop thread is in the nested loop (see the class comment).
                if (message.startsWith("{\"method\":\"Debugger.paused\"")) {
                    session[0].nested = true;
                } else if (message.startsWith("{\"method\":\"Debugger.resumed\"")) {
                    session[0].nested = false;
                }
                session[0].toDebugger(message);
            }

            @Override
            public void receiveResponse(String message) {
                session[0].toDebugger(message);
            }

            @Override
            public void runIfWaitingForDebugger(int contextGroupId) {
                session[0].released = true; // on the loop thread, inside waitForDebugger's dispatch
            }

            @Override
            public void sendRequest(String message) {
            }
        });
        DevToolsServer server;
        try {
            server = new DevToolsServer(address, "Kiln: " + mainScript.getFileName(), mainScript.toUri().toString(),
                    () -> { }, message -> session[0].fromDebugger(message));
        } catch (IOException e) {
            try {
                inspector.close();
            } catch (JavetException ignored) {
                // failing anyway
            }
            throw new AppError(AppError.CONFIG, "Cannot listen for a debugger on " + address.getHostString() + ":"
                    + address.getPort() + ": " + e.getMessage(), e);
        }
        session[0].server = server;
        err.println("Debugger listening on " + server.webSocketUrl());
        err.println("  Chrome: open chrome://inspect (Configure: " + server.hostPort() + "), or " + server.devtoolsUrl());
        if (breakOnStart) {
            err.println("  Waiting for the debugger to attach; main.ts starts paused on its first line.");
        }
        err.flush();
        return session[0];
    }
}
