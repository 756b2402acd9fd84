package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop's turns: timers due at a turn's start, then the tasks queued by then; neither starves. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventLoopTest {

    @Test
    void aTimerThatReschedulesItselfAtZeroDelayLetsQueuedTasksRun() throws Exception {
        EventLoop loop = new EventLoop();
        List<String> log = new ArrayList<>();
        int[] fired = {0};
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            fired[0]++;
            log.add("timer");
            if (fired[0] == 1) {
                loop.execute(() -> log.add("task"));
            }
            if (fired[0] < 1000) {
                loop.schedule(1, 0, false, tick[0]);
            }
        };
        loop.bindToCurrentThread();
        loop.schedule(1, 0, false, tick[0]);
        loop.run(Runnable::run, () -> true);

        // the task was posted during the first timer: it runs in the next turn, after at most one more firing
        assertThat(log.indexOf("task")).isBetween(1, 2);
        assertThat(fired[0]).isEqualTo(1000);
    }

    @Test
    void aFloodOfTasksLetsADueTimerRun() throws Exception {
        EventLoop loop = new EventLoop();
        List<String> log = new ArrayList<>();
        int[] tasks = {0};
        Runnable[] task = new Runnable[1];
        task[0] = () -> {
            tasks[0]++;
            if (tasks[0] == 1) {
                loop.schedule(7, 0, false, () -> log.add("timer after " + tasks[0] + " tasks"));
            }
            if (tasks[0] < 1000) {
                loop.execute(task[0]); // each task queues the next: an endless stream of messages
            }
        };
        loop.bindToCurrentThread();
        loop.execute(task[0]);
        loop.run(Runnable::run, () -> true);

        assertThat(log).hasSize(1);
        assertThat(log.get(0)).isIn("timer after 1 tasks", "timer after 2 tasks");
    }

    @Test
    void weakTimersAreLeftOutOfTheCountThatKeepsAnAppAlive() {
        EventLoop loop = new EventLoop();
        loop.bindToCurrentThread();
        loop.schedule(1, 1000, false, () -> { });
        loop.schedule(2, 1000, true, () -> { });
        assertThat(loop.strongTimerCount()).isEqualTo(1);
        loop.schedule(2, 1000, false, () -> { }); // restarting timer 2 as a strong one
        assertThat(loop.strongTimerCount()).isEqualTo(2);
        loop.schedule(1, 1000, true, () -> { });
        loop.cancel(2);
        loop.cancel(2);
        assertThat(loop.strongTimerCount()).isZero();
    }
}
