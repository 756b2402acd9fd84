package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** AbortController, AbortSignal, EventTarget, Event and DOMException as the script host's globals, in real V8. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AbortTest {
    @TempDir
    Path dir;

    @Test
    void abortWithoutAReasonGivesAnAbortErrorAndFiresOnce() {
        var r = new ScriptFixture(dir).run("""
                const controller = new AbortController();
                const signal = controller.signal;
                console.log("before", signal.aborted, signal.reason);
                signal.throwIfAborted();
                signal.addEventListener("abort", (e) => {
                  console.log("listener", e.type, e.isTrusted, e.target === signal, e.currentTarget === signal, signal.aborted);
                });
                signal.onabort = function (e) { console.log("onabort", this === signal, e.type); };
                controller.abort();
                controller.abort("again"); // a second abort changes nothing and fires nothing
                const reason = signal.reason;
                console.log("after", signal.aborted, reason.name, reason.message, reason.code);
                console.log(reason instanceof DOMException, reason instanceof Error);
                try {
                  signal.throwIfAborted();
                } catch (e) {
                  console.log("throwIfAborted threw the reason:", e === reason);
                }
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "before false undefined",
                "listener abort true true true true",
                "onabort true abort",
                "after true AbortError The operation was aborted 20",
                "true true",
                "throwIfAborted threw the reason: true");
    }

    @Test
    void abortWithAReasonKeepsThatReason() {
        var r = new ScriptFixture(dir).run("""
                const controller = new AbortController();
                const why = { code: 7008, message: "cancelled by the app" };
                controller.abort(why);
                console.log(controller.signal.reason === why);
                try { controller.signal.throwIfAborted(); } catch (e) { console.log("threw", e === why); }

                const withString = new AbortController();
                withString.abort("just because");
                console.log(withString.signal.reason);

                const already = AbortSignal.abort(42);
                console.log(already.aborted, already.reason);
                const plain = AbortSignal.abort();
                console.log(plain.aborted, plain.reason.name, plain.reason.code);
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "true", "threw true", "just because", "true 42", "true AbortError 20");
    }

    @Test
    void listenerOptionsOnceAndSignal() {
        var r = new ScriptFixture(dir).run("""
                const target = new EventTarget();
                const log: string[] = [];
                target.addEventListener("ping", () => log.push("once"), { once: true });
                const stop = new AbortController();
                target.addEventListener("ping", () => log.push("until-abort"), { signal: stop.signal });
                target.addEventListener("ping", () => log.push("never"), { signal: AbortSignal.abort() });
                const every = () => log.push("every");
                target.addEventListener("ping", every);
                target.addEventListener("ping", every); // the same listener again is not added twice
                target.dispatchEvent(new Event("ping"));
                log.push("|");
                target.dispatchEvent(new Event("ping"));
                log.push("|");
                stop.abort();
                target.dispatchEvent(new Event("ping"));
                log.push("|");
                target.removeEventListener("ping", every);
                target.dispatchEvent(new Event("ping"));
                console.log(log.join(" "));

                // A listener on a signal that the same signal removes is removed before the abort event.
                const self = new AbortController();
                self.signal.addEventListener("abort", () => console.log("removed first, so never"), { signal: self.signal });
                self.signal.addEventListener("abort", () => console.log("abort seen"));
                self.abort();
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "once until-abort every | until-abort every | every |",
                "abort seen");
    }

    @Test
    void dispatchFollowsTheEventRules() {
        var r = new ScriptFixture(dir).run("""
                class Counter extends EventTarget {
                  count = 0;
                  bump() { this.count++; return this.dispatchEvent(new Event("change", { cancelable: true })); }
                }
                const counter = new Counter();
                const log: string[] = [];
                const handler = {
                  seen: 0,
                  handleEvent(e: Event) { this.seen++; log.push("object:" + (this === handler)); },
                };
                counter.addEventListener("change", function (this: Counter, e) {
                  log.push("plain:" + (this === counter) + ":" + e.eventPhase + ":" + (e.currentTarget === counter));
                });
                counter.addEventListener("change", handler);
                counter.addEventListener("change", () => log.push("capture"), { capture: true });
                console.log(counter.bump(), log.join(" "), handler.seen);

                counter.removeEventListener("change", handler, { capture: true }); // capture must match: stays
                counter.addEventListener("change", (e) => { e.preventDefault(); e.stopImmediatePropagation(); });
                counter.addEventListener("change", () => log.push("after stopImmediatePropagation"));
                log.length = 0;
                console.log(counter.bump(), log.join(" "), handler.seen);

                const quiet = new EventTarget();
                quiet.addEventListener("x", (e) => { e.preventDefault(); console.log("passive:", e.defaultPrevented); }, { passive: true });
                quiet.addEventListener("x", (e) => e.preventDefault());
                const notCancelable = new Event("x");
                console.log(quiet.dispatchEvent(notCancelable), notCancelable.defaultPrevented);
                const cancelable = new Event("x", { cancelable: true });
                console.log(quiet.dispatchEvent(cancelable), cancelable.defaultPrevented, cancelable.returnValue);

                const e = new Event("look", { bubbles: true });
                console.log(e.type, e.bubbles, e.cancelable, e.composed, e.isTrusted, e.eventPhase, e.target, e.currentTarget);
                console.log(typeof e.timeStamp, e.timeStamp >= 0, Event.AT_TARGET, e.NONE);
                const seer = new EventTarget();
                seer.addEventListener("look", (ev) => {
                  console.log("during", ev.target === seer, ev.composedPath().length);
                  try { seer.dispatchEvent(ev); } catch (err: any) { console.log(err.name, err.code); }
                });
                seer.dispatchEvent(e);
                console.log("after", e.target === seer, e.currentTarget, e.eventPhase, e.composedPath().length);
                try { seer.dispatchEvent({ type: "look" } as any); } catch (err: any) { console.log(err.constructor.name, err.message); }
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "true capture plain:true:2:true object:true 1",
                "false capture plain:true:2:true object:true 2",
                "passive: false",
                "true false",
                "passive: false",
                "false true false",
                "look true false false false 0 null null",
                "number true 2 0",
                "during true 1",
                "InvalidStateError 11",
                "after true null 0 0",
                "TypeError dispatchEvent() needs an Event, got Object");
    }

    @Test
    void aListenerThatThrowsIsReportedAndTheOthersStillRun() {
        var r = new ScriptFixture(dir).run("""
                const controller = new AbortController();
                controller.signal.addEventListener("abort", () => console.log("first listener ran"));
                controller.signal.addEventListener("abort", () => {
                  throw new Error("listener failed");
                });
                controller.signal.addEventListener("abort", () => console.log("third listener ran"));
                controller.abort();
                """);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out().lines()).containsExactly("first listener ran", "third listener ran");
        assertThat(r.err().lines()).contains("error: src/main.ts:4:9: Uncaught Error: listener failed");
    }

    @Test
    void timeoutAbortsWithATimeoutError() {
        var r = new ScriptFixture(dir).run("""
                const keepAlive = setTimeout(() => console.log("the timeout never fired"), 20000);
                const signal = AbortSignal.timeout(30);
                console.log("at first", signal.aborted);
                signal.addEventListener("abort", (e) => {
                  const reason = signal.reason;
                  console.log(e.isTrusted, reason instanceof DOMException, reason.name, reason.code, reason.message);
                  clearTimeout(keepAlive);
                });
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "at first false",
                "true true TimeoutError 23 The signal timed out after 30 ms");
    }

    /** Were the timeout's timer strong, the app would wait a minute, and the test's 30 s watchdog would stop it. */
    @Test
    void aTimeoutSignalDoesNotKeepTheAppAlive() {
        var r = new ScriptFixture(dir).run("""
                const signal = AbortSignal.timeout(60_000);
                signal.onabort = () => console.log("timed out");
                setTimeout(() => console.log("an ordinary timer still runs"), 10);
                console.log("main module done");
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("main module done", "an ordinary timer still runs");
    }

    @Test
    void anyAbortsWithTheFirstReason() {
        var r = new ScriptFixture(dir).run("""
                const a = new AbortController();
                const b = new AbortController();
                const either = AbortSignal.any([a.signal, b.signal]);
                const nested = AbortSignal.any([either, a.signal]);
                a.signal.onabort = () => console.log("a aborted");
                either.onabort = () => console.log("either aborted:", either.reason);
                nested.onabort = () => console.log("nested aborted:", nested.reason);
                console.log(either.aborted, either instanceof AbortSignal);
                b.abort("b first");
                a.abort("a later");
                console.log("a:", a.signal.reason, "either:", either.reason);

                const done = AbortSignal.any([new AbortController().signal, AbortSignal.abort("already")]);
                console.log(done.aborted, done.reason);
                console.log(AbortSignal.any([]).aborted);

                const keepAlive = setTimeout(() => {}, 20000);
                const timed = AbortSignal.any([new AbortController().signal, AbortSignal.timeout(20)]);
                timed.onabort = () => {
                  console.log("timed:", timed.reason.name);
                  clearTimeout(keepAlive);
                };
                try { AbortSignal.any([a.signal, {} as AbortSignal]); } catch (e: any) { console.log(e.constructor.name, e.message); }
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "false true",
                "either aborted: b first",
                "nested aborted: b first",
                "a aborted",
                "a: a later either: b first",
                "true already",
                "false",
                "TypeError AbortSignal.any() needs AbortSignals, got Object",
                "timed: TimeoutError");
    }

    /**
     * A signal of any() is held by its sources only weakly, so that any() on a long-lived signal does
     * not keep every signal it made; one with an abort listener holds on to itself until it aborts.
     */
    @Test
    void aSignalOfAnyIsCollectedUnlessItHasListeners() throws Exception {
        var fixture = new ScriptFixture(dir);
        fixture.write("src/main.ts", """
                import { onChannel, sendToWindow } from "runtime:ipc";
                const source = new AbortController();
                const unheard = new WeakRef(AbortSignal.any([source.signal]));
                const heard = AbortSignal.any([source.signal]);
                heard.addEventListener("abort", () => console.log("the listened signal heard the abort"));
                const heardRef = new WeakRef(heard);
                onChannel("abort", (payload, windowId) => {
                  console.log("unheard collected:", unheard.deref() === undefined, "heard kept:", heardRef.deref() !== undefined);
                  source.abort();
                  sendToWindow(windowId, "done");
                });
                """);
        ScriptApp app = ScriptApp.load(dir);
        CompletableFuture<MemoryWindows> windows = new CompletableFuture<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> app.run(config -> {
            MemoryWindows w = new MemoryWindows(config);
            MemoryWindows.Page page = w.open("main");
            page.onMessage(m -> page.close());
            windows.complete(w);
            return w;
        }, o, o));
        MemoryWindows w = windows.get(30, TimeUnit.SECONDS);
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        w.whenSubscribed(1, () -> subscribed.complete(null));
        subscribed.get(30, TimeUnit.SECONDS);
        V8Footprint.of(app.runtime()).get(30, TimeUnit.SECONDS); // a full collection, between tasks
        w.pages.get("main").send("abort", "null");

        assertThat(exit.get(30, TimeUnit.SECONDS)).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "unheard collected: true heard kept: true",
                "the listened signal heard the abort");
    }

    @Test
    void domExceptionHasItsNameMessageAndCode() {
        var r = new ScriptFixture(dir).run("""
                const abort = new DOMException("stopped", "AbortError");
                const timeout = new DOMException("too slow", "TimeoutError");
                const custom = new DOMException("odd", "SomethingElse");
                const plain = new DOMException();
                console.log(abort.name, abort.message, abort.code, DOMException.ABORT_ERR, abort.ABORT_ERR);
                console.log(timeout.name, timeout.code, DOMException.TIMEOUT_ERR);
                console.log(custom.code, plain.name, JSON.stringify(plain.message), plain.code);
                console.log(abort instanceof Error, abort instanceof DOMException, String(abort));
                console.log(Object.prototype.toString.call(abort), Object.keys(abort).length);
                const withCause = new DOMException("wrapped", { name: "DataCloneError", cause: "inner" });
                console.log(withCause.name, withCause.code, withCause.cause);
                console.log(abort.stack!.split("\\n").slice(0, 2).join(" | "));
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "AbortError stopped 20 20 20",
                "TimeoutError 23 23",
                "0 Error \"\" 0",
                "true true AbortError: stopped",
                "[object DOMException] 0",
                "DataCloneError 25 inner",
                "AbortError: stopped |     at src/main.ts:1:15");
    }

    @Test
    void signalsAreOnlyMadeTheStandardWaysAndArgumentsAreChecked() {
        var r = new ScriptFixture(dir).run("""
                const attempts: Array<() => unknown> = [
                  () => new (AbortSignal as any)(),
                  () => AbortSignal.timeout(-1),
                  () => new EventTarget().addEventListener("x", () => {}, { signal: {} as AbortSignal }),
                  () => new EventTarget().addEventListener("x", 5 as any),
                  () => new (Event as any)(),
                ];
                for (const attempt of attempts) {
                  try { attempt(); console.log("no error"); } catch (e: any) { console.log(e.constructor.name + ": " + e.message); }
                }
                const controller = new AbortController();
                console.log(controller instanceof AbortController, controller.signal instanceof EventTarget,
                  Object.prototype.toString.call(controller.signal), typeof AbortSignal.prototype.throwIfAborted);
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "TypeError: AbortSignal cannot be constructed: use new AbortController().signal, AbortSignal.abort(),"
                        + " AbortSignal.timeout() or AbortSignal.any()",
                "TypeError: AbortSignal.timeout() needs a number of milliseconds from 0 up, got -1",
                "TypeError: The signal option of addEventListener() must be an AbortSignal",
                "TypeError: addEventListener() needs a function or an object with handleEvent, got number",
                "TypeError: new Event() needs a type",
                "true true [object AbortSignal] function");
    }
}
