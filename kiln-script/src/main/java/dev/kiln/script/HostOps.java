package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;

/**
 * The host operations the bootstrap JavaScript ({@link Bootstrap}) calls: console output, timers, stack frame mapping, uncaught errors.
 *
 * <p>Threading: called by V8 on the loop thread only.
 */
final class HostOps {
    private static final int ERROR_LEVEL = 2;

    private final ScriptRuntime runtime;

    HostOps(ScriptRuntime runtime) {
        this.runtime = runtime;
    }

    /** Level 0 debug, 1 log/info (stdout), 2 warn, 3 error (stderr). */
    @V8Function(name = ScriptProtocol.OP_PRINT)
    public void print(int level, String text) {
        var stream = level >= ERROR_LEVEL ? runtime.err() : runtime.out();
        stream.println(text);
        stream.flush();
    }

    @V8Function(name = ScriptProtocol.OP_TIMER_START)
    public void timerStart(int id, int delay) {
        runtime.scheduleTimer(id, delay);
    }

    @V8Function(name = ScriptProtocol.OP_TIMER_CANCEL)
    public void timerCancel(int id) {
        runtime.cancelTimer(id);
    }

    @V8Function(name = ScriptProtocol.OP_MAP_FRAME)
    public String mapFrame(String file, int line, int column) {
        return runtime.modules().mapFrame(file, line, column);
    }

    @V8Function(name = ScriptProtocol.OP_UNCAUGHT)
    public void uncaught(String description) {
        runtime.uncaught(description, false);
    }
}
