package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The fetch global and runtime:net, in real V8, against a real HTTP server on loopback. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FetchTest {
    @TempDir
    Path dir;
    LoopbackServer server;

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ScriptFixture.Result run(String script) {
        return new ScriptFixture(dir).write("manifest.app.toml", ScriptFixture.MANIFEST + """

                [permissions.net]
                allow = ["127.0.0.1"]
                """).run("const BASE = " + com.fasterxml.jackson.databind.node.TextNode.valueOf(server.url("")) + ";\n" + script);
    }

    @Test
    void getGivesStatusHeadersAndText() {
        var r = run("""
                const res = await fetch(BASE + "/text");
                console.log(res.status, res.statusText, res.ok, res.url === BASE + "/text", res.redirected, res.type);
                console.log(res.headers.get("content-type"), "|", res.headers.get("X-TEST"), "|", res.headers.has("x-nothing"));
                console.log(res.bodyUsed, await res.text(), res.bodyUsed);
                try { await res.text(); } catch (e) { console.log(e instanceof TypeError, e.message); }
                const missing = await fetch(BASE + "/missing");
                console.log(missing.status, missing.statusText, missing.ok, await missing.text());
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "200 OK true true false basic",
                "text/plain; charset=utf-8 | one, two | false",
                "false héllo from the server true",
                "true The body has already been read",
                "404 Not Found false nothing here");
    }

    @Test
    void postSendsHeadersAndJsonAndBytes() {
        var r = run("""
                const res = await fetch(BASE + "/echo", {
                  method: "post", headers: { "X-Custom": "abc", "Content-Type": "application/json" },
                  body: JSON.stringify({ hello: "wörld" }),
                });
                const echo = await res.json();
                console.log(res.status, echo.method, echo.custom, echo.contentType, echo.text);
                const bytes = new Uint8Array(1000).map((_, i) => i % 256);
                const bin = await (await fetch(new Request(BASE + "/echo", { method: "PUT", body: bytes }))).json();
                let sum = 0; for (const b of bytes) sum += b;
                console.log(bin.method, bin.length, bin.sum === sum);
                const text = await (await fetch(BASE + "/echo", { method: "POST", body: "plain" })).json();
                console.log(text.contentType, text.text);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "201 POST abc application/json {\"hello\":\"wörld\"}",
                "PUT 1000 true",
                "text/plain;charset=UTF-8 plain");
    }

    @Test
    void binaryBodiesArriveWhole() {
        var r = run("""
                const buf = await (await fetch(BASE + "/binary")).arrayBuffer();
                const bytes = new Uint8Array(buf);
                let ok = bytes.length === 256000;
                for (let i = 0; i < bytes.length && ok; i++) ok = bytes[i] === i % 256;
                console.log(buf instanceof ArrayBuffer, bytes.length, ok);
                const res = await fetch(BASE + "/binary");
                let total = 0, chunks = 0;
                for await (const chunk of res.body) { total += chunk.length; chunks++; }
                console.log(res.body instanceof ReadableStream, total, chunks >= 1);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("true 256000 true", "true 256000 true");
    }

    @Test
    void aStreamedBodyArrivesChunkByChunkBeforeItEnds() {
        var r = run("""
                const res = await fetch(BASE + "/chunks");
                const reader = res.body.getReader();
                const decoder = new TextDecoder();
                let text = "", reads = 0;
                for (;;) {
                  const { value, done } = await reader.read();
                  if (done) break;
                  reads++;
                  text += decoder.decode(value);
                }
                console.log(JSON.stringify(text), reads >= 2);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("\"chunk 1\\nchunk 2\\nchunk 3\\n\" true");
    }

    @Test
    void abortRejectsAPendingFetchAndEndsABodyBeingRead() {
        var r = run("""
                const controller = new AbortController();
                const pending = fetch(BASE + "/slow", { signal: controller.signal });
                setTimeout(() => controller.abort(), 300);
                try { await pending; console.log("not aborted"); } catch (e) { console.log(e.name, e instanceof DOMException); }
                const c2 = new AbortController();
                const res = await fetch(BASE + "/slow-body", { signal: c2.signal });
                const reader = res.body.getReader();
                console.log(new TextDecoder().decode((await reader.read()).value).trim());
                setTimeout(() => c2.abort(new Error("enough")), 200);
                try { await reader.read(); console.log("not aborted"); } catch (e) { console.log("body:", e.message); }
                const c3 = new AbortController();
                c3.abort();
                try { await fetch(BASE + "/text", { signal: c3.signal }); } catch (e) { console.log("already:", e.name); }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("AbortError true", "first", "body: enough", "already: AbortError");
    }

    @Test
    void redirectsAreFollowedOrNot() {
        var r = run("""
                const followed = await fetch(BASE + "/redirect");
                console.log(followed.status, followed.redirected, followed.url === BASE + "/text", await followed.text());
                const manual = await fetch(BASE + "/redirect", { redirect: "manual" });
                console.log(manual.status, manual.headers.get("location"), manual.redirected);
                const seeOther = await (await fetch(BASE + "/see-other", { method: "POST", body: "x" })).json();
                console.log("303 ->", seeOther.method, seeOther.length);
                for (const [path, init] of [["/redirect", { redirect: "error" }], ["/loop", {}]]) {
                  try { await fetch(BASE + path, init); } catch (e) { console.log(e.code, e.message.replace(BASE, "BASE")); }
                }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "200 true true héllo from the server",
                "302 /text false",
                "303 -> GET 0",
                "7030 [7030] fetch BASE/redirect was redirected (302) and its redirect option is \"error\"",
                "7030 [7030] fetch BASE/loop was redirected more than 20 times");
    }

    @Test
    void badInputAndUnreachableServersGiveClearErrors() throws Exception {
        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        var r = run("""
                for (const attempt of [
                  () => fetch("/relative"),
                  () => fetch("ftp://127.0.0.1/x"),
                  () => fetch(BASE + "/text", { method: "GET", body: "x" }),
                  () => fetch(BASE + "/text", { headers: { "bad header": "x" } }),
                  () => fetch("http://127.0.0.1:%d/"),
                ]) {
                  try { await attempt(); console.log("no error"); } catch (e) { console.log(e.constructor.name, e.code ?? "-", e.message); }
                }
                """.formatted(closedPort));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(5);
        assertThat(r.out().lines().toList().subList(0, 4)).containsExactly(
                "TypeError - fetch() needs an absolute http or https URL, got '/relative'",
                "TypeError - fetch() needs an absolute http or https URL, got 'ftp://127.0.0.1/x'",
                "TypeError - A GET request cannot have a body",
                "TypeError - Invalid header name: 'bad header'");
        assertThat(r.out().lines().toList().get(4))
                .startsWith("IpcError 7030 [7030] fetch http://127.0.0.1:" + closedPort + "/ failed: ConnectException");
    }

    @Test
    void hostsTheManifestDoesNotAllowAreRefusedEvenThroughARedirect() {
        var r = run("""
                const port = "%d";
                for (const url of ["http://localhost:" + port + "/text", "http://127.0.0.2:" + port + "/text"]) {
                  try { await fetch(url); console.log("fetched", url); } catch (e) { console.log(e.code, e.message.replace(port, "PORT")); }
                }
                """.formatted(server.server.getAddress().getPort()));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("7020 [7020] Connecting to "));
        assertThat(r.out().lines().toList().get(0)).contains("localhost:PORT is not allowed")
                .contains("[permissions.net] allow");
    }

    @Test
    void aRedirectToAHostTheManifestDoesNotAllowIsRefused() throws Exception {
        try (var other = new LoopbackServer()) {
            other.server.createContext("/away", ex -> {
                ex.getResponseHeaders().add("Location", server.url("/text").replace("127.0.0.1", "localhost"));
                ex.sendResponseHeaders(302, -1);
                ex.close();
            });
            var r = run("""
                    try { await fetch(BASE.replace(/:\\d+/, ":%d") + "/away"); console.log("followed"); }
                    catch (e) { console.log(e.code, e.message.includes("localhost")); }
                    """.formatted(other.server.getAddress().getPort()));
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out().lines()).containsExactly("7020 true");
        }
    }

    @Test
    void withoutAPermissionsTableEveryHostIsRefused() {
        var r = new ScriptFixture(dir).run("try { await fetch(" + com.fasterxml.jackson.databind.node.TextNode.valueOf(server.url("/text"))
                + "); console.log(\"fetched\"); } catch (e) { console.log(e.code); }");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("7020");
    }

    @Test
    void headersRequestsAndResponsesWorkWithoutTheNetwork() {
        var r = run("""
                const h = new Headers([["B", "2"], ["a", "1"], ["b", "3"], ["Set-Cookie", "x=1"], ["set-cookie", "y=2"]]);
                console.log(JSON.stringify([...h]));
                h.set("b", "only"); h.delete("A");
                console.log(JSON.stringify([...h.keys()]), h.get("b"), JSON.stringify(h.getSetCookie()));
                try { h.append("x", "a\\nb"); } catch (e) { console.log(e.constructor.name); }
                const json = Response.json({ n: 1 }, { status: 202 });
                console.log(json.status, json.headers.get("content-type"), await json.text());
                const stream = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("str")); c.enqueue(new Uint8Array([101, 97, 109])); c.close(); } });
                const fromStream = new Response(stream);
                console.log(await fromStream.text(), fromStream.bodyUsed);
                const copy = new Response("twice").clone();
                console.log(await copy.text(), Response.error().type, Response.error().status);
                const req = new Request("http://example.com/x", { method: "post", body: new Uint8Array([1, 2]) });
                console.log(req.method, req.url, (await req.arrayBuffer()).byteLength, req.headers.get("content-type"));
                try { new Response("x", { status: 100 }); } catch (e) { console.log(e.constructor.name); }
                const echoed = await (await fetch(BASE + "/echo", { method: "POST",
                  body: new ReadableStream({ pull(c) { c.enqueue(new TextEncoder().encode("streamed body")); c.close(); } }) })).json();
                console.log(echoed.text);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "[[\"a\",\"1\"],[\"b\",\"2, 3\"],[\"set-cookie\",\"x=1\"],[\"set-cookie\",\"y=2\"]]",
                "[\"b\",\"set-cookie\",\"set-cookie\"] only [\"x=1\",\"y=2\"]",
                "TypeError",
                "202 application/json {\"n\":1}",
                "stream true",
                "twice error 0",
                "POST http://example.com/x 2 null",
                "RangeError",
                "streamed body");
    }

    @Test
    void forgeHelpersOfRuntimeNet() {
        var r = run("""
                import { fetch as netFetch, fetchBytes, fetchJson, postJson } from "runtime:net";
                const t = await netFetch(BASE + "/text");
                console.log(t.ok, t.status, t.statusText, t.headers["x-test"], t.body);
                const b = await fetchBytes(BASE + "/binary");
                console.log(b.body instanceof Uint8Array, b.body.length, b.body[257]);
                const j = await fetchJson(BASE + "/echo", { headers: { "X-Custom": "q" } });
                console.log(j.method, j.custom, j.accept);
                const p = await postJson(BASE + "/echo", { n: 1 });
                console.log(p.status, JSON.parse(p.body).contentType, JSON.parse(p.body).text);
                try { await fetchJson(BASE + "/missing"); } catch (e) { console.log(e.message); }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "true 200 OK one, two héllo from the server",
                "true 256000 1",
                "GET q application/json",
                "201 application/json {\"n\":1}",
                "HTTP error 404: Not Found");
    }

    @Test
    void fetchStreamGivesTheHeadThenTheBodyChunkByChunk() {
        var r = run("""
                import { fetchStream, readChunk, closeStream } from "runtime:net";
                const s = await fetchStream(BASE + "/chunks", { headers: { "X-Custom": "s" } });
                console.log(typeof s.id, s.status, s.statusText, s.ok, s.url === BASE + "/chunks", s.headers["transfer-encoding"]);
                const decoder = new TextDecoder();
                const chunks = [];
                let allBytes = true;
                for (;;) {
                  const c = await readChunk(s.id);
                  if (c.done) { console.log(JSON.stringify(c)); break; }
                  allBytes &&= c.data instanceof Uint8Array;
                  chunks.push(decoder.decode(c.data));
                }
                console.log(JSON.stringify(chunks), allBytes);
                console.log(JSON.stringify(await readChunk(s.id)));
                // reads asked for at once take turns
                const t = await fetchStream(BASE + "/chunks");
                const reads = await Promise.all([readChunk(t.id), readChunk(Number(t.id)), readChunk(t.id), readChunk(t.id)]);
                console.log(reads.map((c) => c.done ? "done" : decoder.decode(c.data).trim()).join(" | "));
                // closed part-way: the connection ends, the id reads as done
                const u = await fetchStream(BASE + "/slow-body");
                console.log(decoder.decode((await readChunk(u.id)).data).trim());
                await closeStream(u.id);
                console.log(JSON.stringify(await readChunk(u.id)));
                const missing = await fetchStream(BASE + "/missing");
                console.log(missing.status, missing.statusText, missing.ok, decoder.decode((await readChunk(missing.id)).data));
                for (const attempt of [() => readChunk(99n), () => fetchStream("http://localhost:%d/text"), () => readChunk("1")]) {
                  try { await attempt(); console.log("no error"); } catch (e) { console.log(e.constructor.name, e.code ?? "-", e.message.split(":")[0]); }
                }
                """.formatted(server.server.getAddress().getPort()));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "bigint 200 OK true true chunked",
                "{\"done\":true}",
                "[\"chunk 1\\n\",\"chunk 2\\n\",\"chunk 3\\n\"] true",
                "{\"done\":true}",
                "chunk 1 | chunk 2 | chunk 3 | done",
                "first",
                "{\"done\":true}",
                "404 Not Found false nothing here",
                "IpcError 7030 [7030] No fetchStream has id 99",
                "IpcError 7020 [7020] Connecting to localhost",
                "TypeError - readChunk() needs an id as given by fetchStream(), got string");
    }
}
