package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** invoke/handle through the engine, with a renderer that speaks the wire format (both directions). */
class CallsTest {
    private final Ipc ipc = Ipc.create(IpcConfig.builder()
            .policy(new ChannelPolicy(List.of("*"), List.of("secret"))).build());

    @AfterEach
    void shutdown() {
        ipc.shutdown();
    }

    record Sum(int a, int b) {
    }

    private static OutboundMessage answer(InMemoryRenderer page, String id) {
        await().atMost(Duration.ofSeconds(5)).until(() -> page.messages().stream().anyMatch(m -> id.equals(m.callId())));
        return page.messages().stream().filter(m -> id.equals(m.callId())).findFirst().orElseThrow();
    }

    private static IpcError failure(CompletableFuture<?> f) {
        try {
            f.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (IpcError) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the call succeeded");
    }

    // ---- page -> host ----

    @Test
    void aPageCallGetsTheTypedHandlersResultAndTheVerifiedWindowId() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        List<String> callers = new ArrayList<>();
        ipc.handle("add", Sum.class, (sum, ctx) -> {
            callers.add(ctx.windowId());
            return CompletableFuture.completedFuture(Map.of("total", sum.a() + sum.b()));
        });
        page.invoke("add", "p1", Map.of("a", 2, "b", 3), 0);
        OutboundMessage reply = answer(page, "p1");
        assertThat(reply.kind()).isEqualTo(MessageKind.RESULT);
        assertThat(reply.channel()).isEqualTo("add");
        assertThat(reply.payloadJson()).isEqualTo("{\"total\":5}");
        assertThat(callers).containsExactly("w");
    }

    @Test
    void nullIsUndefinedAndANullNodeIsNull() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        ipc.handle("nothing", (p, ctx) -> CompletableFuture.completedFuture(null));
        ipc.handle("null", (p, ctx) -> CompletableFuture.completedFuture(NullNode.getInstance()));
        page.invoke("nothing", "a", null, 0);
        page.invoke("null", "b", null, 0);
        assertThat(answer(page, "a").payloadJson()).isNull();
        assertThat(answer(page, "a").wireJson()).isEqualTo("{\"c\":\"nothing\",\"k\":\"r\",\"i\":\"a\"}");
        assertThat(answer(page, "b").payloadJson()).isEqualTo("null");
    }

    @Test
    void errorsKeepTheirCodeMessageAndData() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        ipc.handle("text-code", (p, ctx) -> {
            throw new IpcError("E_QUOTA", "Quota exceeded", Map.of("limit", 10, "nested", List.of(Map.of("x", true))));
        });
        ipc.handle("number-code", (p, ctx) -> CompletableFuture.failedFuture(new IpcError(404, "No such note")));
        ipc.handle("plain", (p, ctx) -> {
            throw new IllegalStateException("disk on fire");
        });
        ipc.handle("kiln", (p, ctx) -> {
            throw KilnException.windowNotFound("other");
        });
        page.invoke("text-code", "1", null, 0);
        page.invoke("number-code", "2", null, 0);
        page.invoke("plain", "3", null, 0);
        page.invoke("kiln", "4", null, 0);
        assertThat(InMemoryRenderer.json(answer(page, "1").payloadJson())).isEqualTo(InMemoryRenderer.json(
                "{\"code\":\"E_QUOTA\",\"message\":\"Quota exceeded\",\"data\":{\"limit\":10,\"nested\":[{\"x\":true}]}}"));
        assertThat(answer(page, "1").kind()).isEqualTo(MessageKind.ERROR);
        assertThat(InMemoryRenderer.json(answer(page, "2").payloadJson())).isEqualTo(InMemoryRenderer.json(
                "{\"code\":404,\"message\":\"No such note\"}"));
        assertThat(InMemoryRenderer.json(answer(page, "3").payloadJson())).isEqualTo(InMemoryRenderer.json(
                "{\"code\":7009,\"message\":\"[7009] The handler for channel 'plain' failed: disk on fire\"}"));
        assertThat(InMemoryRenderer.json(answer(page, "4").payloadJson()).get("code").intValue()).isEqualTo(7002);
    }

    @Test
    void aCallWithNoHandlerWaitsBrieflyForOneThenFailsWith7006() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        page.invoke("late", "1", 1, 0);
        page.invoke("never", "2", 1, 0);
        ipc.handle("late", (p, ctx) -> CompletableFuture.completedFuture(p.intValue() + 1));
        assertThat(answer(page, "1").payloadJson()).isEqualTo("2");
        OutboundMessage none = answer(page, "2");
        assertThat(none.kind()).isEqualTo(MessageKind.ERROR);
        assertThat(InMemoryRenderer.json(none.payloadJson()).get("code").intValue()).isEqualTo(7006);
        assertThat(InMemoryRenderer.json(none.payloadJson()).get("message").asText())
                .startsWith("[7006] No handler for channel 'never'");
    }

    @Test
    void aDeniedCallFailsWith7004WithoutReachingTheHandler() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        AtomicInteger runs = new AtomicInteger();
        ipc.handle("secret", (p, ctx) -> CompletableFuture.completedFuture(runs.incrementAndGet()));
        page.invoke("secret", "1", null, 0);
        OutboundMessage denied = answer(page, "1");
        assertThat(InMemoryRenderer.json(denied.payloadJson()).get("code").intValue()).isEqualTo(7004);
        assertThat(runs).hasValue(0);
        assertThat(ipc.stats().inboundDenied()).isEqualTo(1);
    }

    @Test
    void oneHandlerPerChannelAndRemovingItIsIdempotent() {
        Subscription first = ipc.handle("c", (p, ctx) -> CompletableFuture.completedFuture(1));
        assertThatThrownBy(() -> ipc.handle("c", (p, ctx) -> CompletableFuture.completedFuture(2)))
                .isInstanceOf(KilnException.class).hasMessageStartingWith("[7000] Channel 'c' already has a handler");
        first.unsubscribe();
        first.unsubscribe();
        assertThat(first.isActive()).isFalse();
        Subscription second = ipc.handle("c", (p, ctx) -> CompletableFuture.completedFuture(2));
        first.unsubscribe(); // must not remove the newer handler
        assertThat(second.isActive()).isTrue();
        assertThatThrownBy(() -> ipc.handle("", (p, ctx) -> null)).hasMessageStartingWith("[7000]");
    }

    @Test
    void thePagesCancelDeadlineAndReloadAbortTheHandlerAndItsLateAnswerIsDropped() throws Exception {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        Map<String, CompletableFuture<KilnException>> aborted = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, CompletableFuture<Object>> answers = new java.util.concurrent.ConcurrentHashMap<>();
        ipc.handle("slow", (p, ctx) -> {
            aborted.put(p.asText(), ctx.cancellation().toCompletableFuture());
            CompletableFuture<Object> later = new CompletableFuture<>();
            answers.put(p.asText(), later);
            return later;
        });
        page.invoke("slow", "c1", "cancelled", 0);
        page.invoke("slow", "c2", "deadline", System.currentTimeMillis() + 300);
        page.invoke("slow", "c3", "reload", 0);
        await().until(() -> aborted.size() == 3);
        page.step(MessageKind.CANCEL, "slow", "c1", "{\"code\":7008,\"message\":\"[7008] aborted by the page\"}");
        assertThat(aborted.get("cancelled").get(5, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(aborted.get("deadline").get(5, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(aborted.get("reload").isDone()).isFalse();
        page.link.loading();
        assertThat(aborted.get("reload").get(5, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
        page.link.ready();
        answers.values().forEach(a -> a.complete("too late"));
        page.send("after", 1);
        await().until(() -> ipc.stats().eventsReceived() == 1);
        Thread.sleep(100);
        assertThat(page.ofKind(MessageKind.RESULT)).isEmpty();
        assertThat(((AttachedWindow) page.link).calls().inProgress()).isZero();
    }

    @Test
    void callsAreNotEvents() throws Exception {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        EventStream events = ipc.windowEvents();
        ipc.handle("c", (p, ctx) -> CompletableFuture.completedFuture(1));
        page.invoke("c", "1", 1, 0);
        answer(page, "1");
        page.send("c", "message");
        assertThat(events.poll(Duration.ofSeconds(5)).payload().asText()).isEqualTo("message");
        assertThat(ipc.stats().eventsReceived()).isEqualTo(1);
    }

    // ---- host -> page ----

    @Test
    void theHostCallsThePageAndGetsItsAnswerTypedOrAsATree() throws Exception {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        CompletableFuture<JsonNode> tree = ipc.invokeWindow("w", "ask", Map.of("q", 1), Duration.ofSeconds(5));
        CompletableFuture<Sum> typed = ipc.invokeWindow("w", "ask", null, null, Sum.class);
        CompletableFuture<JsonNode> undefined = ipc.invokeWindow("w", "ask", null, null);
        await().until(() -> page.ofKind(MessageKind.INVOKE).size() == 3);
        List<OutboundMessage> calls = page.ofKind(MessageKind.INVOKE);
        assertThat(calls.get(1).payloadJson()).isNull(); // Java null is undefined in the page
        assertThat(calls.get(0).payloadJson()).isEqualTo("{\"q\":1}");
        assertThat(calls.get(0).deadline()).isBetween(System.currentTimeMillis() + 4000, System.currentTimeMillis() + 5000);
        assertThat(calls.get(1).deadline()).isZero();
        page.step(MessageKind.RESULT, "ask", calls.get(0).callId(), "{\"a\":[1,2]}");
        page.step(MessageKind.RESULT, "ask", calls.get(1).callId(), "{\"a\":1,\"b\":2}");
        page.step(MessageKind.RESULT, "ask", calls.get(2).callId(), null);
        assertThat(tree.get(5, TimeUnit.SECONDS)).isEqualTo(InMemoryRenderer.json("{\"a\":[1,2]}"));
        assertThat(typed.get(5, TimeUnit.SECONDS)).isEqualTo(new Sum(1, 2));
        assertThat(undefined.get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void thePagesErrorsArriveWithTheirCodeAndData() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        CompletableFuture<JsonNode> app = ipc.invokeWindow("w", "ask", null, null);
        CompletableFuture<JsonNode> number = ipc.invokeWindow("w", "ask", null, null);
        CompletableFuture<JsonNode> kiln = ipc.invokeWindow("w", "ask", null, null);
        CompletableFuture<JsonNode> garbage = ipc.invokeWindow("w", "ask", null, null);
        await().until(() -> page.ofKind(MessageKind.INVOKE).size() == 4);
        List<OutboundMessage> calls = page.ofKind(MessageKind.INVOKE);
        page.step(MessageKind.ERROR, "ask", calls.get(0).callId(),
                "{\"code\":\"E_BUSY\",\"message\":\"Busy\",\"data\":{\"retry\":[1,{\"in\":2}]}}");
        page.step(MessageKind.ERROR, "ask", calls.get(1).callId(), "{\"code\":12345678901,\"message\":\"big\"}");
        page.step(MessageKind.ERROR, "ask", calls.get(2).callId(), "{\"code\":7006,\"message\":\"[7006] No handler for channel 'ask'\"}");
        page.step(MessageKind.ERROR, "ask", calls.get(3).callId(), "[1]");
        IpcError e = failure(app);
        assertThat(e).isNotInstanceOf(KilnException.class).hasMessage("Busy");
        assertThat(e.code()).isEqualTo("E_BUSY");
        assertThat(e.data()).isEqualTo(InMemoryRenderer.json("{\"retry\":[1,{\"in\":2}]}"));
        assertThat(failure(number).code()).isEqualTo(12345678901L);
        assertThat(failure(kiln)).isInstanceOf(KilnException.class).hasMessage("[7006] No handler for channel 'ask'");
        assertThat(failure(kiln).code()).isEqualTo(ErrorCode.NO_HANDLER);
        assertThat(failure(garbage).code()).isEqualTo(ErrorCode.HANDLER_FAILED);
    }

    @Test
    void aTimeoutRejectsWith7007AndCancelsInThePageAndSoDoesCancellingTheFuture() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        CompletableFuture<JsonNode> timed = ipc.invokeWindow("w", "slow", null, Duration.ofMillis(100));
        CompletableFuture<JsonNode> cancelled = ipc.invokeWindow("w", "slow", null, null);
        await().until(() -> page.ofKind(MessageKind.INVOKE).size() == 2);
        cancelled.cancel(true);
        assertThat(failure(timed)).hasMessage("[7007] The call to window w on channel 'slow' timed out after 100 ms");
        await().until(() -> page.ofKind(MessageKind.CANCEL).size() == 2);
        List<OutboundMessage> calls = page.ofKind(MessageKind.INVOKE);
        assertThat(page.ofKind(MessageKind.CANCEL)).extracting(OutboundMessage::callId)
                .containsExactlyInAnyOrder(calls.get(0).callId(), calls.get(1).callId());
        assertThat(page.ofKind(MessageKind.CANCEL)).extracting(m -> InMemoryRenderer.json(m.payloadJson()).get("code").intValue())
                .containsExactlyInAnyOrder(7007, 7008);
        page.step(MessageKind.RESULT, "slow", calls.get(0).callId(), "1"); // a late answer goes nowhere
        assertThat(((AttachedWindow) page.link).calls().inProgress()).isZero();
    }

    @Test
    void aCallBeforeReadyWaitsButACallIntoAPageThatGoesAwayFailsAtOnce() throws Exception {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        CompletableFuture<JsonNode> early = ipc.invokeWindow("w", "ask", 1, Duration.ofSeconds(10));
        CompletableFuture<JsonNode> withdrawn = ipc.invokeWindow("w", "ask", 2, null);
        withdrawn.cancel(true); // before any page got it: it never reaches one
        assertThat(page.messages()).isEmpty();
        page.link.ready();
        await().until(() -> page.ofKind(MessageKind.INVOKE).size() == 1);
        assertThat(page.ofKind(MessageKind.INVOKE).get(0).payloadJson()).isEqualTo("1");
        page.link.loading(); // the page that had the call goes away
        assertThat(failure(early)).hasMessageStartingWith("[7002] Window not found: w (its page went away");
        CompletableFuture<JsonNode> duringReload = ipc.invokeWindow("w", "ask", 3, null);
        page.link.ready();
        await().until(() -> page.ofKind(MessageKind.INVOKE).size() == 2);
        OutboundMessage call = page.ofKind(MessageKind.INVOKE).get(1);
        assertThat(call.payloadJson()).isEqualTo("3");
        page.step(MessageKind.RESULT, "ask", call.callId(), "30");
        assertThat(duringReload.get(5, TimeUnit.SECONDS).intValue()).isEqualTo(30);
        assertThat(page.ofKind(MessageKind.CANCEL)).extracting(OutboundMessage::callId)
                .containsExactly(page.ofKind(MessageKind.INVOKE).get(0).callId());
        assertThat(page.ofKind(MessageKind.INVOKE)).extracting(OutboundMessage::payloadJson).containsExactly("1", "3");
    }

    @Test
    void badCallsFailWithTheirCodes() {
        new InMemoryRenderer(ipc, "w").link.ready();
        assertThat(failure(ipc.invokeWindow("nope", "c", null, null)).code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
        assertThat(failure(ipc.invokeWindow("w", "secret", null, null)).code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(failure(ipc.invokeWindow("w", "bad\nname", null, null)).code()).isEqualTo(ErrorCode.CHANNEL_SEND);
        assertThat(failure(ipc.invokeWindow("w", "c", new Object() { public Object getSelf() { return this; } }, null)).code())
                .isEqualTo(ErrorCode.SERIALIZATION);
        assertThat(failure(ipc.invokeWindow("w", "c", null, Duration.ofSeconds(-1))).code()).isEqualTo(ErrorCode.CHANNEL_SEND);
    }

    @Test
    void closeAndShutdownEndEveryCall() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        InMemoryRenderer other = new InMemoryRenderer(ipc, "v");
        page.link.ready();
        other.link.ready();
        CompletableFuture<JsonNode> closing = ipc.invokeWindow("w", "c", null, null);
        CompletableFuture<JsonNode> shuttingDown = ipc.invokeWindow("v", "c", null, null);
        page.link.detach();
        assertThat(failure(closing)).hasMessage("[7002] Window not found: w");
        ipc.shutdown();
        assertThat(failure(shuttingDown)).hasMessage("[7000] The runtime has shut down");
    }

    @Test
    void tenThousandConcurrentCallsEachGetTheirOwnAnswer() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        ipc.handle("square", (p, ctx) -> CompletableFuture.supplyAsync(() -> p.intValue() * p.intValue()));
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            page.invoke("square", "q" + i, i, 0);
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> page.ofKind(MessageKind.RESULT).size() == n);
        for (OutboundMessage m : page.ofKind(MessageKind.RESULT)) {
            long i = Long.parseLong(m.callId().substring(1));
            assertThat(Long.parseLong(m.payloadJson())).isEqualTo(i * i);
        }
        List<CompletableFuture<JsonNode>> host = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            host.add(ipc.invokeWindow("w", "double", i, Duration.ofSeconds(120)));
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> page.ofKind(MessageKind.INVOKE).size() == n);
        List<OutboundMessage> calls = page.ofKind(MessageKind.INVOKE);
        for (int i = calls.size() - 1; i >= 0; i--) { // answered in reverse order
            page.step(MessageKind.RESULT, "double", calls.get(i).callId(), Integer.toString(2 * Integer.parseInt(calls.get(i).payloadJson())));
        }
        for (int i = 0; i < n; i++) {
            assertThat(host.get(i).join().intValue()).isEqualTo(2 * i);
        }
    }
}
