package dev.kiln.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;

/** Starts the JavaFX toolkit once per JVM for the baseline host. Thread-safe. */
final class FxToolkit {
    private static boolean started; // guarded by FxToolkit.class

    private FxToolkit() {
    }

    static synchronized void start() throws InterruptedException {
        if (started) {
            return;
        }
        if (System.getenv("DISPLAY") == null || System.getenv("DISPLAY").isBlank()) {
            throw new IllegalStateException("No DISPLAY: the bench opens real windows; run it under Xvfb "
                    + "(e.g. Xvfb :93 & export DISPLAY=:93) or through ./kiln bench");
        }
        CountDownLatch up = new CountDownLatch(1);
        Platform.startup(up::countDown);
        Platform.setImplicitExit(false);
        if (!up.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The JavaFX toolkit did not start within 30 s");
        }
        started = true;
    }
}
