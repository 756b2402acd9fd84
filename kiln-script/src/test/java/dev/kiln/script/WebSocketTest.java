package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** runtime:net's WebSocket client (ws and Forge's older names), in real V8, against a real WebSocket server on loopback. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WebSocketTest {
    @TempDir
    Path dir;
    WebSocketServer server;

    @BeforeEach
    void start() throws Exception {
        server = new WebSocketServer();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private ScriptFixture.Result run(String script) {
        return new ScriptFixture(dir).write("manifest.app.toml", ScriptFixture.MANIFEST + """

                [permissions.net]
                allow = ["127.0.0.1", "127.0.0.3"]
                deny = ["127.0.0.3"]
                """).run("import { ws, connectWebSocket, sendWebSocket, recvWebSocket, closeWebSocket } from \"runtime:net\";\n"
                + "const BASE = " + TextNode.valueOf(server.url("")) + ";\n" + script);
    }

    @Test
    void textAndBinaryEchoBothWaysWithHeadersAndTheNegotiatedSubprotocol() {
        var r = run("""
                const c = await ws.connect(BASE + "/echo", { headers: { "X-Token": "t0k3n" }, protocols: ["kiln-test", "superchat"] });
                console.log(typeof c.id, c.url === BASE + "/echo", c.protocol);
                await ws.sendText(c.id, "headers");
                console.log((await ws.recv(c.id)).data);
                await ws.sendText(c.id, "héllo wörld");
                const t = await ws.recv(c.id);
                console.log(t.type, t.data, t.binary === undefined);
                const big = new Uint8Array(1024 * 1024);
                for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 255;
                await ws.sendBinary(c.id, big);
                const b = await ws.recv(c.id);
                let same = b.binary instanceof Uint8Array && b.binary.length === big.length;
                for (let i = 0; same && i < big.length; i++) same = b.binary[i] === big[i];
                console.log(b.type, b.binary.length, same, b.data === undefined);
                await ws.send(c.id, { type: "binary", binary: big.subarray(10, 14) });
                console.log(Array.from((await ws.recv(c.id)).binary).join(","));
                await ws.sendText(c.id, "fragments");
                const f1 = await ws.recv(c.id);
                const f2 = await ws.recv(c.id);
                console.log(f1.type, f1.data, f2.type, Array.from(f2.binary).join(","));
                const long = "ä€".repeat(300000);
                await ws.sendText(Number(c.id), long);
                console.log((await ws.recv(Number(c.id))).data === long);
                await ws.close(c.id);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "bigint true superchat",
                "x-token=t0k3n offered=kiln-test, superchat",
                "text héllo wörld true",
                "binary 1048576 true true",
                "61,92,123,154",
                "text fragménted binary 1,2,3",
                "true");
    }

    @Test
    void messagesEndsAtTheServersCloseAndRecvThenGivesNull() {
        var r = run("""
                const c = await ws.connect(BASE + "/count?n=5");
                const got = [];
                for await (const m of ws.messages(c.id)) got.push(m.type + ":" + m.data);
                console.log(got.join(" "));
                console.log(await ws.recv(c.id), await ws.recv(c.id));
                const d = await ws.connect(BASE + "/count?n=1");
                console.log(JSON.stringify(await ws.recv(d.id)), JSON.stringify(await ws.recv(d.id)), await ws.recv(d.id));
                try { await ws.sendText(d.id, "late"); console.log("sent"); } catch (e) { console.log(e.code, e.message.replace(BASE, "BASE")); }
                const e = await ws.connect(BASE + "/echo");
                await ws.sendText(e.id, "close-me");
                console.log(JSON.stringify(await ws.recv(e.id)), await ws.recv(e.id));
                const f = await ws.connect(BASE + "/echo");
                await ws.send(f.id, { type: "close", data: "leaving" });
                console.log(JSON.stringify(await ws.recv(f.id)), await ws.recv(f.id));
                for (const x of [c, d, e, f]) await ws.close(x.id);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "text:m0 text:m1 text:m2 text:m3 text:m4",
                "null null",
                "{\"type\":\"text\",\"data\":\"m0\"} {\"type\":\"close\",\"data\":\"done\",\"code\":1000} null",
                "7030 [7030] WebSocket 2 (BASE/count?n=1) is closed: nothing more can be sent on it",
                "{\"type\":\"close\",\"data\":\"bye\",\"code\":4000} null",
                "{\"type\":\"close\",\"data\":\"leaving\",\"code\":1000} null");
    }

    @Test
    void forgesOlderNamesAndAClosedIdAndAReadWaitingAtTheClose() {
        var r = run("""
                const c = await connectWebSocket(BASE + "/echo");
                console.log(c.protocol);
                await sendWebSocket(c.id, { type: "text", data: "via alias" });
                console.log((await recvWebSocket(c.id)).data);
                const waiting = recvWebSocket(c.id);
                await closeWebSocket(c.id);
                console.log("waiting read:", await waiting);
                for (const attempt of [() => recvWebSocket(c.id), () => ws.sendText(c.id, "x"), () => closeWebSocket(c.id)]) {
                  try { await attempt(); console.log("no error"); } catch (e) { console.log(e.code, e.message); }
                }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "null",
                "via alias",
                "waiting read: null",
                "7030 [7030] WebSocket 1 is closed: ws.close() closed it",
                "7030 [7030] WebSocket 1 is closed: ws.close() closed it",
                "7030 [7030] WebSocket 1 is closed: ws.close() closed it");
    }

    @Test
    void pingsAndPongsBothWays() {
        var r = run("""
                const c = await ws.connect(BASE + "/echo");
                await ws.send(c.id, { type: "ping", binary: new Uint8Array([1, 2, 3]) });
                const pong = await ws.recv(c.id);
                console.log(pong.type, Array.from(pong.binary).join(","));
                await ws.sendText(c.id, "ping-me");
                const ping = await ws.recv(c.id);
                console.log(ping.type, new TextDecoder().decode(ping.binary));
                console.log((await ws.recv(c.id)).data);
                await ws.send(c.id, { type: "pong", data: "unasked" });
                console.log((await ws.recv(c.id)).data);
                try { await ws.send(c.id, { type: "ping", binary: new Uint8Array(126) }); } catch (e) { console.log(e.code, e.message); }
                try { await ws.send(c.id, { type: "shout", data: "x" }); } catch (e) { console.log(e.constructor.name, e.message); }
                await ws.close(c.id);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "pong 1,2,3",
                "ping srv",
                "server got pong srv",
                "server got pong unasked",
                "7024 [7024] ws.send(): a ping carries at most 125 bytes, got 126",
                "TypeError ws.send(): type must be \"text\", \"binary\", \"ping\", \"pong\" or \"close\", got 'shout'");
    }

    private static final String HANDSHAKE_HEADERS =
            " (the handshake sets Host, Connection, Upgrade and Sec-WebSocket-* itself; subprotocols go in protocols)";

    @Test
    void refusedHostsFailedConnectionsAndUnknownIdsGiveCodedErrors() throws Exception {
        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        var r = run("""
                const port = "%d";
                for (const url of ["ws://localhost:" + port + "/echo", "wss://127.0.0.3/echo", "ws://127.0.0.1:%d/", BASE + "/refuse", "http://127.0.0.1/"]) {
                  try { await ws.connect(url); console.log("connected", url); }
                  catch (e) { console.log(e.constructor.name, e.code ?? "-", e.message.replace(port, "PORT").replace("%d", "CLOSED")); }
                }
                for (const name of ["Upgrade", "Sec-WebSocket-Protocol", "Host"]) {
                  try { await ws.connect(BASE + "/echo", { headers: { [name]: "x" } }); console.log("connected with", name); }
                  catch (e) { console.log(e.constructor.name, e.code ?? "-", e.message.replace(BASE, "BASE")); }
                }
                for (const id of [99n, 7, "1"]) {
                  try { await ws.recv(id); console.log("no error"); } catch (e) { console.log(e.constructor.name, e.code ?? "-", e.message); }
                }
                """.formatted(server.port(), closedPort, closedPort));
        assertThat(r.exitCode()).as(r.err()).isZero();
        var lines = r.out().lines().toList();
        assertThat(lines).hasSize(11);
        assertThat(lines.get(0)).startsWith("IpcError 7020 [7020] Connecting to localhost:PORT is not allowed")
                .contains("[permissions.net] allow in manifest.app.toml");
        assertThat(lines.get(1)).isEqualTo(
                "IpcError 7020 [7020] Connecting to 127.0.0.3:443 is not allowed: [permissions.net] deny has '127.0.0.3' in manifest.app.toml");
        assertThat(lines.get(2)).startsWith("IpcError 7030 [7030] WebSocket ws://127.0.0.1:CLOSED/ failed: ConnectException");
        assertThat(lines.subList(3, 11)).containsExactly(
                "IpcError 7030 [7030] WebSocket " + server.url("/refuse").replace(":" + server.port(), ":PORT")
                        + " failed: the server answered 404 instead of accepting the WebSocket",
                "TypeError - ws.connect() needs an absolute ws:// or wss:// URL, got 'http://127.0.0.1/'",
                "IpcError 7024 [7024] ws.connect(BASE/echo) cannot send that: restricted header name: \"upgrade\"" + HANDSHAKE_HEADERS,
                "IpcError 7024 [7024] ws.connect(BASE/echo) cannot send that: Illegal header: sec-websocket-protocol" + HANDSHAKE_HEADERS,
                "IpcError 7024 [7024] ws.connect(BASE/echo) cannot send that: restricted header name: \"host\"" + HANDSHAKE_HEADERS,
                "IpcError 7030 [7030] No WebSocket has id 99 (ws.connect() gives the ids)",
                "IpcError 7030 [7030] No WebSocket has id 7 (ws.connect() gives the ids)",
                "TypeError - ws.recv() needs an id as given by ws.connect(), got string");
    }

    @Test
    void aSlowReaderGetsEveryMessageInOrderWhileTheServerIsHeldBack() {
        var r = run("""
                const PAD = "x".repeat(4096);
                const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
                /** How many messages the flood's server has written so far, asked on another connection. */
                async function sent() {
                  const probe = await ws.connect(BASE + "/probe");
                  const n = Number((await ws.recv(probe.id)).data);
                  await ws.close(probe.id);
                  return n;
                }
                const flood = await ws.connect(BASE + "/flood?n=10000&size=4096");
                await sleep(2000);
                const before = await sent();
                await sleep(1000);
                const after = await sent();
                let i = 0, inOrder = true;
                for await (const m of ws.messages(flood.id)) {
                  if (m.data !== "m" + i + ":" + PAD) inOrder = false;
                  i++;
                }
                console.error("the server had sent", before, "then", after, "messages while the app did not read");
                // Held back: the server stopped writing (the same count a second apart) before it was done.
                console.log(i, inOrder, before > 1024 && before === after && after < 10000);
                await ws.close(flood.id);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("10000 true true");
        assertThat(server.floodSent.get()).isEqualTo(10000);
    }

    @Test
    void aMessageOverTheLimitEndsTheConnectionWithAnError() {
        var r = run("""
                const c = await ws.connect(BASE + "/huge?bytes=%d");
                console.log((await ws.recv(c.id)).data);
                try { await ws.recv(c.id); console.log("no error"); } catch (e) { console.log(e.code, e.message.replace(BASE, "BASE")); }
                console.log(await ws.recv(c.id));
                await ws.close(c.id);
                """.formatted(WebSocketConnection.MAX_MESSAGE_SIZE + 1));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "before",
                "7030 [7030] WebSocket 1 (BASE/huge?bytes=" + (WebSocketConnection.MAX_MESSAGE_SIZE + 1)
                        + ") received a binary message larger than 67108864 bytes (Kiln's limit); Kiln closed the connection with status 1009",
                "null");
    }

    @Test
    void theAppsEndClosesItsConnections() throws Exception {
        var r = run("""
                const c = await ws.connect(BASE + "/hold");
                console.log("open", c.id);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("open 1n");
        assertThat(server.holdClosed.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
    }
}
