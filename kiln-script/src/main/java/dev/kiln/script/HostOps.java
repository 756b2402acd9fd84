package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * The host operations the bootstrap JavaScript ({@link ScriptProtocol}) calls: console output,
 * timers, stack frame mapping, uncaught errors.
 *
 * <p>Threading: called by V8 on the loop thread only.
 */
final class HostOps {
    private static final int ERROR_LEVEL = 2;

    private final PrintStream out;
    private final PrintStream err;
    private final EventLoop loop;
    private final ScriptCallbacks callbacks;
    private final ModuleLoader modules;
    private final Consumer<String> uncaught;

    /** @param uncaught reports an uncaught exception (already formatted) and ends the app */
    HostOps(PrintStream out, PrintStream err, EventLoop loop, ScriptCallbacks callbacks, ModuleLoader modules,
            Consumer<String> uncaught) {
        this.out = out;
        this.err = err;
        this.loop = loop;
        this.callbacks = callbacks;
        this.modules = modules;
        this.uncaught = uncaught;
    }

    /** Level 0 debug, 1 log/info (stdout), 2 warn, 3 error (stderr). */
    @V8Function(name = ScriptProtocol.OP_PRINT)
    public void print(int level, String text) {
        PrintStream stream = level >= ERROR_LEVEL ? err : out;
        stream.println(text);
        stream.flush();
    }

    /**
     * Starts (or restarts) timer {@code id}; the bootstrap has already clamped the delay. A weak
     * timer does not keep the app alive by itself (see {@link ExitPolicy}).
     */
    @V8Function(name = ScriptProtocol.OP_TIMER_START)
    public void timerStart(int id, int delay, boolean weak) {
        loop.schedule(id, delay, weak, () -> callbacks.fire(id));
    }

    @V8Function(name = ScriptProtocol.OP_TIMER_CANCEL)
    public void timerCancel(int id) {
        loop.cancel(id);
    }

    @V8Function(name = ScriptProtocol.OP_MAP_FRAME)
    public String mapFrame(String file, int line, int column) {
        return modules.mapFrame(file, line, column);
    }

    @V8Function(name = ScriptProtocol.OP_UNCAUGHT)
    public void uncaught(String description) {
        uncaught.accept(UncaughtReport.format(description, false));
    }
}
