package dev.kiln.window;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Watches the FX thread: every {@value #BEAT_MILLIS} ms its own daemon thread posts a heartbeat to
 * the FX thread; a heartbeat that has not run after a desktop's
 * {@link DesktopConfig#unresponsiveAfter()} means the FX thread is stuck (usually a page's script in
 * a loop), and with it every window of the JVM. Each desktop being watched is then told (its
 * {@link Desktop#onUnresponsive} listeners), once per stall, and told again when the heartbeat runs
 * (its {@link Desktop#onResponsive} listeners); the stall and the recovery are logged once each,
 * with code 7005.
 *
 * <p>There is one FX thread per JVM, so there is one watchdog, shared by every {@link Desktop}.
 * JavaFX's WebView offers no way to stop a page's script: the watchdog can only tell, and let the
 * app (or the {@code kiln} command) decide to end the process.
 *
 * <p>Threading: {@link #unresponsive()} may be called from any thread. {@link #entered} is called on
 * the FX thread, where it records (one volatile write) which window's page the thread enters, so
 * that a stall can name a window. Listeners run on the watchdog's thread, {@code kiln-fx-watchdog}.
 */
public final class FxWatchdog {
    /** How often a heartbeat is posted to the FX thread. */
    static final long BEAT_MILLIS = 250;
    static final int CODE = dev.kiln.ipc.ErrorCode.WINDOW_NOT_RESPONDING.code();
    private static final System.Logger LOG = System.getLogger("dev.kiln.window");
    private static final FxWatchdog INSTANCE = new FxWatchdog();

    // any thread
    private final Set<Desktop> desktops = ConcurrentHashMap.newKeySet();
    private volatile Entry lastEntered;
    private volatile boolean beatPending;
    private volatile long beatPostedAt; // System.nanoTime() of the pending (or last) heartbeat
    private volatile Thread fxThread;
    private volatile FxStall reported; // the stall being reported, null while the FX thread answers
    // guarded by this
    private Thread thread;

    // watchdog thread only
    private final Set<Desktop> told = new HashSet<>();

    private FxWatchdog() {
    }

    /**
     * The FX thread's stall, once the watchdog has reported it (after the shortest
     * {@link DesktopConfig#unresponsiveAfter()} of the desktops in this JVM), with its duration so
     * far; empty while the FX thread answers.
     */
    public static Optional<FxStall> unresponsive() {
        FxStall stall = INSTANCE.reported;
        if (stall == null) {
            return Optional.empty();
        }
        Duration now = Duration.ofNanos(System.nanoTime() - INSTANCE.beatPostedAt);
        return Optional.of(stall.lasting(now.compareTo(stall.duration()) > 0 ? now : stall.duration()));
    }

    // ---- Package-private ----

    static void watch(Desktop desktop) {
        INSTANCE.desktops.add(desktop);
        INSTANCE.startOrWake();
    }

    static void unwatch(Desktop desktop) {
        INSTANCE.desktops.remove(desktop);
    }

    /**
     * FX thread: the thread is about to enter the window's page this way. Input events,
     * {@link Automation}'s scripts, deliveries and the page's upcalls call it, so that a stall names
     * its window.
     */
    static void entered(String windowId, FxActivity.Kind kind) {
        Entry last = INSTANCE.lastEntered;
        if (last == null || !last.windowId().equals(windowId) || last.kind() != kind) {
            INSTANCE.lastEntered = new Entry(windowId, kind);
        }
    }

    /** Which window's page the FX thread entered last, and how. */
    private record Entry(String windowId, FxActivity.Kind kind) {
    }

    // ---- The watchdog's thread ----

    private synchronized void startOrWake() {
        if (thread == null) {
            thread = new Thread(this::run, "kiln-fx-watchdog");
            thread.setDaemon(true);
            thread.start();
        }
        notifyAll();
    }

    private void run() {
        try {
            while (true) {
                synchronized (this) {
                    while (desktops.isEmpty() && !beatPending) {
                        wait();
                    }
                }
                tick();
                TimeUnit.MILLISECONDS.sleep(BEAT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException toolkitGone) {
            LOG.log(System.Logger.Level.DEBUG, "The FX watchdog stopped: " + toolkitGone.getMessage());
        }
    }

    private void tick() {
        long now = System.nanoTime();
        if (!beatPending) {
            if (reported != null) {
                recovered();
            }
            if (desktops.isEmpty()) {
                return;
            }
            beatPending = true;
            beatPostedAt = now;
            Fx.later(() -> {
                fxThread = Thread.currentThread();
                beatPending = false;
            });
            return;
        }
        Duration stuck = Duration.ofNanos(now - beatPostedAt);
        if (reported != null && !reported.inPage()) {
            // what holds the thread may change during one stall: from building a window to its page's
            // script. The first page seen stays the culprit: the end of a stall, sampled before the
            // heartbeat runs, shows Java code again.
            FxStall again = sample(stuck);
            if (again.inPage()) {
                reported = again;
                LOG.log(System.Logger.Level.WARNING, "[" + CODE + "] " + again.describe());
            }
        }
        List<Desktop> due = new ArrayList<>();
        for (Desktop d : desktops) {
            if (!told.contains(d) && stuck.compareTo(d.config().unresponsiveAfter()) >= 0) {
                due.add(d);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        FxStall stall = sample(stuck);
        if (reported == null) {
            reported = stall;
            // a stall outside pages (the first WebView takes seconds to build on a busy machine) ends by itself
            LOG.log(stall.inPage() ? System.Logger.Level.WARNING : System.Logger.Level.INFO, "[" + CODE + "] "
                    + stall.describe() + "; every window is frozen until it returns");
        }
        for (Desktop d : due) {
            told.add(d);
            d.fxUnresponsive(stall);
        }
    }

    private void recovered() {
        FxStall stall = reported;
        // the heartbeat ran at most one beat ago: the stall lasted until about then
        long lasted = System.nanoTime() - beatPostedAt - TimeUnit.MILLISECONDS.toNanos(BEAT_MILLIS / 2);
        FxStall over = stall.lasting(Duration.ofNanos(Math.max(lasted, stall.duration().toNanos())));
        reported = null;
        LOG.log(System.Logger.Level.INFO, "[" + CODE + "] " + over.describeRecovery());
        for (Desktop d : told) {
            if (desktops.contains(d)) {
                d.fxResponsive(over);
            }
        }
        told.clear();
    }

    /** What the FX thread is doing, and in which window's page as far as can be told. */
    private FxStall sample(Duration stuck) {
        Thread fx = fxThread != null ? fxThread : fxThreadByName();
        FxActivity activity = FxActivity.of(fx == null ? new StackTraceElement[0] : fx.getStackTrace());
        if (activity.kind() == FxActivity.Kind.OTHER) {
            return new FxStall(null, false, activity.description(), false, stuck); // no page holds the thread
        }
        List<AppWindow> open = new ArrayList<>();
        for (Desktop d : desktops) {
            for (AppWindow w : d.windows()) {
                if (!w.isClosed()) {
                    open.add(w);
                }
            }
        }
        if (open.size() == 1) {
            return new FxStall(open.get(0).id(), true, activity.description(), true, stuck);
        }
        Entry last = lastEntered;
        if (last == null) {
            return new FxStall(null, false, activity.description(), true, stuck);
        }
        boolean sameCall = last.kind() == activity.kind() && last.kind() != FxActivity.Kind.PAGE_TASK;
        return new FxStall(last.windowId(), sameCall, activity.description(), true, stuck);
    }

    /** Before its first heartbeat ran, the FX thread is known only by its name. */
    private static Thread fxThreadByName() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("JavaFX Application Thread")) {
                return t;
            }
        }
        return null;
    }
}
