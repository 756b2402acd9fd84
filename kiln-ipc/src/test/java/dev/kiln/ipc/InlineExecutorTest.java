package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With a callback executor that runs tasks on the calling thread (which IpcConfig allows), user
 * code runs while an event is published: it may subscribe and unsubscribe, and never runs under
 * the hub's lock.
 */
@Timeout(30)
class InlineExecutorTest {
    private final Ipc ipc = Ipc.create(IpcConfig.builder().callbackExecutor(Runnable::run).build());
    private final InMemoryRenderer page = new InMemoryRenderer(ipc, "w");

    @AfterEach
    void shutDown() {
        ipc.shutdown();
    }

    @Test
    void aCallbackThatSubscribesAndUnsubscribesDuringAPublishLosesNothing() {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> late = new CopyOnWriteArrayList<>();
        Subscription[] self = new Subscription[1];
        ipc.onEvent(e -> seen.add("first:" + e.channel()));
        self[0] = ipc.onEvent(e -> {
            seen.add("second:" + e.channel());
            if (e.channel().equals("a")) {
                ipc.onEvent(later -> late.add(later.channel())); // subscribes while "a" is published
                self[0].unsubscribe(); // and leaves
            }
        });
        ipc.onEvent(e -> seen.add("third:" + e.channel()));

        page.send("a", 1);
        page.send("b", 2);

        assertThat(seen).containsExactly("first:a", "second:a", "third:a", "first:b", "third:b");
        assertThat(late).containsExactly("b");
        assertThat(ipc.stats().subscribers()).isEqualTo(3);
    }

    @Test
    void aFutureDependentThatOpensAStreamRunsOutsideTheHubLock() throws Exception {
        EventStream stream = ipc.windowEvents();
        List<String> fromNewStream = new CopyOnWriteArrayList<>();
        CompletableFuture<EventStream> opened = stream.nextAsync().thenApply(e -> {
            EventStream s = ipc.windowEvents();
            s.nextAsync().thenAccept(next -> fromNewStream.add(next.channel()));
            return s;
        });
        page.send("a", 1);
        page.send("b", 2);
        assertThat(opened.get(5, TimeUnit.SECONDS).isActive()).isTrue();
        assertThat(fromNewStream).containsExactly("b");
    }

    @Test
    void callbacksRunWithoutTheHubLockHeld() {
        List<Boolean> heldLock = new CopyOnWriteArrayList<>();
        ipc.onEvent(e -> heldLock.add(Thread.holdsLock(hubOf(ipc))));
        page.send("a", 1);
        assertThat(heldLock).containsExactly(false);
    }

    private static Object hubOf(Ipc ipc) {
        try {
            java.lang.reflect.Field f = Ipc.class.getDeclaredField("hub");
            f.setAccessible(true);
            return f.get(ipc);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
