package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.IpcError;
import dev.kiln.ipc.KilnException;
import dev.kiln.ipc.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Streams between a real page and Java, both ways, with credit. The page is the streams fixture's
 * (kiln-cli/src/test/fixtures/streams/web), which the TypeScript host's end-to-end test uses too.
 */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Desktop desktop;

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(Path.of("..", "kiln-cli", "src", "test", "fixtures", "streams", "web")
                .toAbsolutePath().normalize()).withExitOnLastWindowClosed(false));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    /** Counts from 0 without end, one value per unit requested, on the requesting thread. */
    static final class Numbers implements Flow.Publisher<Integer> {
        final AtomicLong requested = new AtomicLong();
        final CompletableFuture<Void> cancelled = new CompletableFuture<>();
        final IpcError failAfter; // if set, ends with this error after 3 values

        Numbers(IpcError failAfter) {
            this.failAfter = failAfter;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super Integer> s) {
            s.onSubscribe(new Flow.Subscription() {
                int next;

                @Override
                public synchronized void request(long n) {
                    requested.addAndGet(n);
                    for (long i = 0; i < n && !cancelled.isDone(); i++) {
                        if (failAfter != null && next == 3) {
                            s.onError(failAfter);
                            return;
                        }
                        s.onNext(next++);
                    }
                }

                @Override
                public void cancel() {
                    cancelled.complete(null);
                }
            });
        }
    }

    /** A Java reader of a page stream that requests what the test says. */
    static final class Reader implements Flow.Subscriber<JsonNode> {
        final List<JsonNode> values = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(JsonNode item) {
            values.add(item);
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(t);
        }

        @Override
        public void onComplete() {
            ended.complete(null);
        }
    }

    private static JsonNode read(AppWindow w, String name) throws Exception {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() ->
                Pages.eval(w, "!!(reads['" + name + "'] && (reads['" + name + "'].done || reads['" + name + "'].error))").equals("true"));
        return JSON.readTree(Pages.eval(w, "reads['" + name + "']"));
    }

    @Test
    void aSlowPageReaderGetsEveryValueInOrderAndTheJavaProducerNeverRunsAhead() throws Exception {
        Numbers numbers = new Numbers(null);
        CompletableFuture<KilnException> aborted = new CompletableFuture<>();
        try (Subscription h = desktop.ipc().handleStream("numbers", (p, ctx) -> {
            ctx.cancellation().thenAccept(aborted::complete);
            return numbers;
        })) {
            AppWindow w = Pages.open(desktop, "app://index.html");
            try {
                // 20 values, 10 ms each, 4 ahead at most; then a break
                Pages.eval(w, "read('slow', 'numbers', { from: 0 }, { highWaterMark: 4 }, 20, 10); 1");
                JsonNode slow = read(w, "slow");
                assertThat(slow.get("done").asBoolean()).isTrue();
                for (int i = 0; i < 20; i++) {
                    assertThat(slow.get("values").get(i).intValue()).isEqualTo(i);
                }
                // credit: 4 at first, 2 more per 2 taken; so never more than 4 beyond what the page took
                assertThat(numbers.requested.get()).isBetween(20L, 24L);
                numbers.cancelled.get(20, TimeUnit.SECONDS);
                assertThat(aborted.get(20, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.CANCELLED);
            } finally {
                w.close();
            }
        }
    }

    @Test
    void aJavaProducersErrorADeniedChannelAndAMissingProducerEndThePagesRead() throws Exception {
        try (Subscription h = desktop.ipc().handleStream("broken", (p, ctx) -> new Numbers(new IpcError("E_DISK", "Disk gone", List.of(1, 2))));
             Subscription s = desktop.ipc().handleStream("secret", (p, ctx) -> new Numbers(null))) {
            AppWindow w = Pages.open(desktop, WindowOptions.builder().url("app://index.html").size(400, 300)
                    .channels(List.of("broken", "nobody")).build());
            try {
                Pages.eval(w, "read('broken', 'broken'); read('denied', 'secret'); read('nobody', 'nobody'); 1");
                JsonNode broken = read(w, "broken");
                assertThat(broken.get("values").toString()).isEqualTo("[0,1,2]");
                assertThat(broken.get("error")).isEqualTo(JSON.readTree(
                        "{\"isIpcError\":true,\"code\":\"E_DISK\",\"message\":\"Disk gone\",\"data\":[1,2]}"));
                assertThat(read(w, "denied").get("error").get("code").intValue()).isEqualTo(7004);
                assertThat(read(w, "nobody").get("error").get("code").intValue()).isEqualTo(7006);
            } finally {
                w.close();
            }
        }
    }

    @Test
    void javaReadsAPageProducerPullingOnlyWhatItRequestedAndItsCancelClosesTheGenerator() throws Exception {
        AppWindow w = Pages.open(desktop, "app://index.html");
        try {
            Reader reader = new Reader();
            desktop.ipc().streamFromWindow(w.id(), "ticks", java.util.Map.of("name", "a")).subscribe(reader);
            await().until(() -> reader.subscription != null);
            reader.subscription.request(5);
            await().atMost(Duration.ofSeconds(20)).until(() -> reader.values.size() == 5);
            Thread.sleep(200);
            assertThat(Pages.eval(w, "made.a.made")).isEqualTo("5"); // the generator ran only as far as asked
            reader.subscription.request(3);
            await().atMost(Duration.ofSeconds(20)).until(() -> reader.values.size() == 8);
            for (int i = 0; i < 8; i++) {
                assertThat(reader.values.get(i).get("i").intValue()).isEqualTo(i);
            }
            reader.subscription.cancel();
            Pages.awaitEval(w, "made.a.closed", "true");
            assertThat(Pages.eval(w, "made.a.aborted")).isEqualTo("7008");
            assertThat(reader.ended).isNotDone();

            Reader failing = new Reader();
            desktop.ipc().streamFromWindow(w.id(), "failing", null).subscribe(failing);
            await().until(() -> failing.subscription != null);
            failing.subscription.request(10);
            IpcError e = (IpcError) failing.ended.get(20, TimeUnit.SECONDS);
            assertThat(failing.values).extracting(JsonNode::intValue).containsExactly(1);
            assertThat(e.code()).isEqualTo("E_SENSOR");
            assertThat(e.data()).isEqualTo(JSON.readTree("{\"port\":3}"));
        } finally {
            w.close();
        }
    }

    @Test
    void aReloadMidStreamEndsBothDirections() throws Exception {
        Numbers numbers = new Numbers(null);
        CompletableFuture<KilnException> aborted = new CompletableFuture<>();
        try (Subscription h = desktop.ipc().handleStream("numbers", (p, ctx) -> {
            ctx.cancellation().thenAccept(aborted::complete);
            return numbers;
        })) {
            AppWindow w = Pages.open(desktop, "app://index.html");
            try {
                Reader reader = new Reader();
                desktop.ipc().streamFromWindow(w.id(), "ticks", java.util.Map.of("name", "r")).subscribe(reader);
                await().until(() -> reader.subscription != null);
                reader.subscription.request(2);
                Pages.eval(w, "read('endless', 'numbers', null, { highWaterMark: 2 }, undefined, 50); 1");
                await().atMost(Duration.ofSeconds(20)).until(() -> reader.values.size() == 2 && numbers.requested.get() > 0);
                Pages.eval(w, "location.reload(); 1");
                IpcError gone = (IpcError) reader.ended.get(20, TimeUnit.SECONDS);
                assertThat(gone.code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
                assertThat(aborted.get(20, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
                numbers.cancelled.get(20, TimeUnit.SECONDS);
            } finally {
                w.close();
            }
        }
    }
}
