package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javafx.application.Platform;
import org.junit.jupiter.api.Test;

/** {@link Fx#post}, the host-to-page hot path: straight to the GTK loop, in order, on the FX thread. */
class FxPostTest {

    @Test
    void postedTasksRunOnTheFxThreadInOrderAndOneThatThrowsStopsNothing() throws Exception {
        Fx.startToolkit();
        assertThat(Fx.postsToGlass()).as("posts skip the InvokeLaterDispatcher thread").isTrue();
        List<Integer> ran = new CopyOnWriteArrayList<>();
        List<Boolean> onFx = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread poster = new Thread(() -> {
            for (int i = 0; i < 5_000; i++) {
                int n = i;
                Fx.post(() -> {
                    ran.add(n);
                    onFx.add(Platform.isFxApplicationThread());
                    if (n == 10) {
                        throw new IllegalStateException("thrown on purpose by task 10");
                    }
                });
            }
            Fx.post(done::countDown);
        });
        poster.start();

        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactlyElementsOf(IntStream.range(0, 5_000).boxed().toList());
        assertThat(onFx).containsOnly(true);
    }
}
