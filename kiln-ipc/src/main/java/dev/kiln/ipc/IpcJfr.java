package dev.kiln.ipc;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Kiln's Java Flight Recorder events: sends, deliveries, refusals, drops and calls, so that a
 * recording ({@code java -XX:StartFlightRecording}, JDK Mission Control) shows IPC next to GC and
 * threads.
 *
 * <p>Cost: while no recording runs, {@link #recording} is false and the engine's hooks stop at
 * {@link IpcTap#on()}. While one runs, each event is committed only if its type is enabled in that
 * recording ({@code shouldCommit}). {@link #recording} follows the recorder's state through a
 * {@link FlightRecorderListener}, which does not start the recorder itself.
 *
 * <p>Threading: thread-safe; events are committed on the thread where they happen.
 */
final class IpcJfr {
    /** Whether any flight recording is running. */
    static volatile boolean recording;

    static {
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    update(recorder);
                }

                @Override
                public void recordingStateChanged(Recording changed) {
                    if (FlightRecorder.isInitialized()) {
                        update(FlightRecorder.getFlightRecorder());
                    }
                }
            });
        } catch (RuntimeException | LinkageError e) {
            // No flight recorder in this JVM (or not allowed): the events are never committed.
        }
    }

    private IpcJfr() {
    }

    /** Loads the class, which starts following the recorder's state. */
    static void init() {
    }

    private static void update(FlightRecorder recorder) {
        recording = recorder.getRecordings().stream().anyMatch(r -> r.getState() == RecordingState.RUNNING);
    }

    static void commit(IpcTrace t) {
        switch (t.stage()) {
            case SENT -> {
                Send e = new Send();
                if (e.shouldCommit()) {
                    e.window = t.windowId();
                    e.channel = t.channel();
                    e.kind = kind(t);
                    e.size = t.size();
                    e.commit();
                }
            }
            case DELIVERED, RECEIVED, SYSTEM -> {
                Delivery e = new Delivery();
                if (e.shouldCommit()) {
                    e.direction = direction(t);
                    e.window = t.windowId();
                    e.channel = t.channel();
                    e.kind = t.stage() == IpcTrace.Stage.SYSTEM ? "system" : kind(t);
                    e.size = t.size();
                    e.commit();
                }
            }
            case REFUSED -> {
                Refusal e = new Refusal();
                if (e.shouldCommit()) {
                    e.direction = direction(t);
                    e.window = t.windowId();
                    e.channel = t.channel();
                    e.kind = kind(t);
                    e.size = t.size();
                    e.code = t.code();
                    e.reason = t.reason();
                    e.commit();
                }
            }
            case DROPPED -> {
                Drop e = new Drop();
                if (e.shouldCommit()) {
                    e.window = t.windowId();
                    e.channel = t.channel();
                    e.reason = t.reason();
                    e.commit();
                }
            }
            case CALL_END -> {
                Invoke e = new Invoke();
                if (e.shouldCommit()) {
                    e.direction = direction(t);
                    e.window = t.windowId();
                    e.channel = t.channel();
                    e.callDuration = t.durationNanos();
                    e.outcome = t.code() == null ? "ok" : t.code();
                    e.reason = t.reason();
                    e.commit();
                }
            }
            case CALL_START -> {
                // the call's event is committed when it ends, with its duration
            }
        }
    }

    private static String kind(IpcTrace t) {
        return t.kind() == null ? null : t.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String direction(IpcTrace t) {
        return t.direction() == null ? null : t.direction() == IpcTrace.Direction.TO_WINDOW ? "toWindow" : "fromWindow";
    }

    @Name("dev.kiln.ipc.Send")
    @Label("IPC Send")
    @Category({"Kiln", "IPC"})
    @Description("The host queued a message or call step for a window")
    @StackTrace(false)
    static final class Send extends Event {
        @Label("Window") String window;
        @Label("Channel") String channel;
        @Label("Kind") String kind;
        @Label("Size") @Description("Payload length in characters of JSON") long size;
    }

    @Name("dev.kiln.ipc.Delivery")
    @Label("IPC Delivery")
    @Category({"Kiln", "IPC"})
    @Description("A window took a message from the host, or the host accepted one from a window")
    @StackTrace(false)
    static final class Delivery extends Event {
        @Label("Direction") String direction;
        @Label("Window") String window;
        @Label("Channel") String channel;
        @Label("Kind") String kind;
        @Label("Size") @Description("Payload length in characters of JSON") long size;
    }

    @Name("dev.kiln.ipc.Refusal")
    @Label("IPC Refusal")
    @Category({"Kiln", "IPC"})
    @Description("A message was refused: denied channel, malformed, too large, or its window was gone")
    @StackTrace(false)
    static final class Refusal extends Event {
        @Label("Direction") String direction;
        @Label("Window") String window;
        @Label("Channel") String channel;
        @Label("Kind") String kind;
        @Label("Size") long size;
        @Label("Code") String code;
        @Label("Reason") String reason;
    }

    @Name("dev.kiln.ipc.Drop")
    @Label("IPC Drop")
    @Category({"Kiln", "IPC"})
    @Description("An accepted event was lost: the backlog or a lagging reader's buffer overflowed")
    @StackTrace(false)
    static final class Drop extends Event {
        @Label("Window") String window;
        @Label("Channel") String channel;
        @Label("Reason") String reason;
    }

    @Name("dev.kiln.ipc.Invoke")
    @Label("IPC Invoke")
    @Category({"Kiln", "IPC"})
    @Description("A call (invoke) settled, in either direction")
    @StackTrace(false)
    static final class Invoke extends Event {
        @Label("Direction") String direction;
        @Label("Window") String window;
        @Label("Channel") String channel;
        @Label("Call Duration") @Timespan(Timespan.NANOSECONDS) long callDuration;
        @Label("Outcome") @Description("ok, or the error code") String outcome;
        @Label("Reason") String reason;
    }
}
