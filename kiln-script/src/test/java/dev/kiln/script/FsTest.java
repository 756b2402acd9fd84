package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** runtime:fs through the real script host: real V8, real files, real links, the manifest's permissions. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FsTest {
    @TempDir
    Path tmp;
    Path t;
    Path app;
    Path outside;

    @BeforeEach
    void folders() throws IOException {
        t = tmp.toRealPath();
        app = Files.createDirectories(t.resolve("app"));
        outside = Files.createDirectories(t.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
    }

    private ScriptFixture fixture(String permissions) {
        return new ScriptFixture(app).write(AppManifest.FILE_NAME, ScriptFixture.MANIFEST + "\n" + permissions);
    }

    private static final String DATA_RW = """
            [permissions.fs]
            read = ["data/**"]
            write = ["data/**"]
            """;

    /** A script line printing an error's code and message, for a call that must fail. */
    private static String fails(String label, String call) {
        return "try { await " + call + "; console.log('" + label + ": no error'); } catch (e) { console.log('" + label + ": ' + e.code + ' ' + e.message); }\n";
    }

    @Test
    void textAndBytesRoundTripThroughRealFiles() throws IOException {
        byte[] big = new byte[24 * 1024 * 1024];
        new Random(7).nextBytes(big);
        Files.createDirectories(app.resolve("data"));
        Files.write(app.resolve("data/big.bin"), big);
        var r = fixture(DATA_RW).run("""
                import { readTextFile, writeTextFile, readBytes, writeBytes, readFile, writeFile, appendTextFile } from "runtime:fs";
                // many at once: they queue for the workers and all complete
                const names = Array.from({ length: 300 }, (_, i) => "data/many-" + i + ".txt");
                await Promise.all(names.map((n, i) => writeTextFile(n, "n" + i)));
                const back = await Promise.all(names.map((n) => readTextFile(n)));
                console.log("many:", back.every((t, i) => t === "n" + i));
                await writeTextFile("data/hello.txt", "héllo wörld ✓\\n");
                await appendTextFile("data/hello.txt", "line 2");
                console.log("text:", JSON.stringify(await readTextFile("data/hello.txt")));
                const big = await readBytes("data/big.bin");
                console.log("big:", big instanceof Uint8Array, big.length, big[0], big[big.length - 1]);
                big[0] ^= 0xff;
                await writeBytes("data/big-copy.bin", big);
                await writeFile("data/small.bin", new Uint8Array([0, 1, 2, 255]));
                const small = await readFile("data/small.bin");
                console.log("small:", Array.from(small).join(","));
                await writeBytes("data/view.bin", new Uint8Array([9, 8, 7, 6, 5, 4]).subarray(2, 5));
                console.log("view:", Array.from(await readBytes("data/view.bin")).join(","));
                await writeBytes("data/dv.bin", new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2));
                await writeBytes("data/u16.bin", new Uint16Array([0x0201, 0x0403]));
                console.log("dataview:", Array.from(await readBytes("data/dv.bin")).join(","), Array.from(await readBytes("data/u16.bin")).join(","));
                await writeBytes("data/empty.bin", new Uint8Array(0));
                console.log("empty:", (await readBytes("data/empty.bin")).length);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(app.resolve("data/hello.txt"))).isEqualTo("héllo wörld ✓\nline 2");
        assertThat(r.out()).contains("text: \"héllo wörld ✓\\nline 2\"");
        assertThat(r.out()).contains("big: true " + big.length + " " + (big[0] & 0xff) + " " + (big[big.length - 1] & 0xff));
        byte[] copy = Files.readAllBytes(app.resolve("data/big-copy.bin"));
        big[0] ^= (byte) 0xff;
        assertThat(copy).isEqualTo(big);
        assertThat(Files.readAllBytes(app.resolve("data/small.bin"))).containsExactly(0, 1, 2, 255);
        assertThat(r.out()).contains("small: 0,1,2,255", "empty: 0", "many: true", "view: 7,6,5", "dataview: 2,3 1,2,3,4");
    }

    @Test
    void foldersLinksAndMetadata() throws IOException {
        var r = fixture(DATA_RW).run("""
                import * as fs from "runtime:fs";
                await fs.mkdir("data/a/b/c", { recursive: true });
                await fs.writeTextFile("data/a/one.txt", "1");
                await fs.writeTextFile("data/a/b/two.txt", "22");
                await fs.copy("data/a/one.txt", "data/a/one-copy.txt");
                await fs.rename("data/a/b/two.txt", "data/a/two.txt");
                await fs.symlink("one.txt", "data/a/link.txt");
                console.log("dir:", JSON.stringify(await fs.readDir("data/a")));
                const s = await fs.stat("data/a/two.txt");
                console.log("stat:", s.isFile, s.isDirectory, s.size, typeof s.mtime, s.readonly);
                const l = await fs.stat("data/a/link.txt");
                console.log("link stat:", l.isFile, l.isSymlink, l.size);
                const ls = await fs.lstat("data/a/link.txt");
                console.log("lstat:", ls.isFile, ls.isSymlink);
                const m = await fs.metadata("data/a");
                console.log("metadata:", m.isDir, m.isFile, typeof m.permissions);
                console.log("readLink:", await fs.readLink("data/a/link.txt"));
                console.log("realPath:", await fs.realPath("data/a/link.txt"));
                console.log("exists:", await fs.exists("data/a/one.txt"), await fs.exists("data/a/nope"));
                await fs.remove("data/a/link.txt");
                console.log("target kept:", await fs.exists("data/a/one.txt"));
                """ + fails("not empty", "fs.remove('data/a')") + fails("mkdir again", "fs.mkdir('data/a')")
                + fails("missing", "fs.readTextFile('data/nope.txt')") + fails("copy folder", "fs.copy('data/a', 'data/z')")
                + fails("no parent", "fs.writeTextFile('data/x/y/z.txt', 'q')") + """
                await fs.remove("data/a", { recursive: true });
                console.log("gone:", await fs.exists("data/a"));
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path a = app.resolve("data/a");
        assertThat(r.out()).contains("dir: [{\"name\":\"b\",\"isFile\":false,\"isDirectory\":true,\"isSymlink\":false},"
                + "{\"name\":\"link.txt\",\"isFile\":false,\"isDirectory\":false,\"isSymlink\":true},"
                + "{\"name\":\"one-copy.txt\",\"isFile\":true,\"isDirectory\":false,\"isSymlink\":false},"
                + "{\"name\":\"one.txt\",\"isFile\":true,\"isDirectory\":false,\"isSymlink\":false},"
                + "{\"name\":\"two.txt\",\"isFile\":true,\"isDirectory\":false,\"isSymlink\":false}]");
        assertThat(r.out()).contains("stat: true false 2 number false", "link stat: true true 1", "lstat: false true",
                "metadata: true false number", "readLink: one.txt", "realPath: " + a.resolve("one.txt"),
                "exists: true false", "target kept: true", "gone: false");
        assertThat(r.out()).contains("not empty: 7023 [7023] The folder is not empty: " + a,
                "mkdir again: 7022 [7022] Already exists: " + a,
                "missing: 7021 [7021] No such file or folder: " + app.resolve("data/nope.txt"),
                "copy folder: 7023 [7023] copy() copies files, and " + a + " is a folder",
                "no parent: 7021 [7021] No such file or folder: " + app.resolve("data/x/y/z.txt"));
        assertThat(a).doesNotExist();
    }

    @Test
    void everyBypassOfTheScopeIsDenied() throws IOException {
        Path data = Files.createDirectories(app.resolve("data"));
        Files.writeString(app.resolve("private.txt"), "private");
        Files.createSymbolicLink(data.resolve("out"), outside);
        Files.createSymbolicLink(data.resolve("secret-link.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(data.resolve("dangling.txt"), outside.resolve("planted.txt"));
        Files.createDirectories(app.resolve("DATA2"));
        var r = fixture(DATA_RW).run(
                "import { readTextFile, writeTextFile, copy, rename, remove, readDir, exists, watch, writeBytes } from 'runtime:fs';\n"
                + fails("dotdot", "readTextFile('data/../private.txt')")
                + fails("dotdot write", "writeTextFile('data/sub/../../private.txt', 'pwned')")
                + fails("absolute", "readTextFile('" + outside.resolve("secret.txt") + "')")
                + fails("link dir", "readTextFile('data/out/secret.txt')")
                + fails("link file", "readTextFile('data/secret-link.txt')")
                + fails("link write", "writeTextFile('data/out/planted.txt', 'x')")
                + fails("dangling", "writeTextFile('data/dangling.txt', 'x')")
                + fails("case", "writeTextFile('DATA/x.txt', 'x')")
                + fails("case2", "writeTextFile('DATA2/x.txt', 'x')")
                + fails("home", "readTextFile('~/.bashrc')")
                + fails("copy out", "copy('data/secret-link.txt', 'data/stolen.txt')")
                + fails("rename out", "rename('data/x.txt', '" + outside.resolve("x.txt") + "')")
                + fails("remove via link", "remove('data/out/secret.txt')")
                + fails("readDir link", "readDir('data/out')")
                + fails("exists outside", "exists('" + outside.resolve("secret.txt") + "')")
                + fails("watch outside", "watch('data/out')")
                + fails("bad arg", "readTextFile(42)")
                + fails("empty", "readTextFile('')")
                + fails("bytes arg", "writeBytes('data/q.bin', 'not bytes')")
                + "await remove('data/secret-link.txt'); console.log('link removed, target kept');\n",
                w -> { });
        assertThat(r.exitCode()).as(r.err()).isZero();
        String out = r.out();
        assertThat(out).contains("dotdot: 7020 [7020] Reading " + app.resolve("private.txt")
                + " is not allowed: no pattern in [permissions.fs] read matches it; add one such as \"" + app.resolve("private.txt")
                + "\" or \"" + app + "/**\" to read in [permissions.fs] of manifest.app.toml");
        assertThat(out).contains("dotdot write: 7020 [7020] Writing " + app.resolve("private.txt"),
                "absolute: 7020 [7020] Reading " + outside.resolve("secret.txt"),
                "link dir: 7020 [7020] Reading " + outside.resolve("secret.txt"),
                "link file: 7020 [7020] Reading " + outside.resolve("secret.txt"),
                "link write: 7020 [7020] Writing " + outside.resolve("planted.txt"),
                "dangling: 7020 [7020] Writing " + outside.resolve("planted.txt"),
                "case: 7020 [7020] Writing " + app.resolve("DATA/x.txt"),
                "case2: 7020 [7020] Writing " + app.resolve("DATA2/x.txt"),
                "home: 7020 [7020] Reading ",
                "copy out: 7020 [7020] Reading " + outside.resolve("secret.txt"),
                "rename out: 7020 [7020] Writing " + outside.resolve("x.txt"),
                "remove via link: 7020 [7020] Writing " + outside.resolve("secret.txt"),
                "readDir link: 7020 [7020] Reading " + outside,
                "exists outside: 7020",
                "watch outside: 7020",
                "bad arg: 7024 [7024] readTextFile(): path must be a non-empty string, got number 42",
                "empty: 7024 [7024] readTextFile(): path must be a non-empty string, got string \"\"",
                "bytes arg: 7024 [7024] writeBytes(): content must be a Uint8Array, got string \"not bytes\"",
                "link removed, target kept");
        assertThat(Files.readString(app.resolve("private.txt"))).isEqualTo("private");
        assertThat(outside.resolve("planted.txt")).doesNotExist();
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
        assertThat(app.resolve("DATA2/x.txt")).doesNotExist();
        assertThat(data.resolve("secret-link.txt")).doesNotExist();
    }

    @Test
    void withoutPermissionsNothingIsReachable() {
        var r = new ScriptFixture(app).run("import { readTextFile } from 'runtime:fs';\n"
                + fails("none", "readTextFile('src/main.ts')"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("none: 7020 [7020] Reading " + app.resolve("src/main.ts") + " is not allowed");
    }

    @Test
    void appDataAndHomeRoots() throws IOException {
        String id = "dev.kiln.test.fs" + System.nanoTime();
        Path dataHome = Path.of(System.getProperty("kiln.data.home")).toAbsolutePath();
        var r = new ScriptFixture(app).write(AppManifest.FILE_NAME, ScriptFixture.MANIFEST.replace("dev.kiln.test", id) + """
                [permissions.fs]
                read = ["$APPDATA/**"]
                write = ["$APPDATA/notes/*.md"]
                """).run("import * as fs from 'runtime:fs';\n"
                + "await fs.mkdir('" + dataHome.resolve(id) + "/notes', { recursive: true }).catch(e => console.log('mkdir: ' + e.code));\n"
                + fails("data write", "fs.writeTextFile('" + dataHome.resolve(id).resolve("notes/a.md") + "', '# a')")
                + fails("data other", "fs.writeTextFile('" + dataHome.resolve(id).resolve("notes/a.txt") + "', 'a')")
                + fails("next app", "fs.readTextFile('" + dataHome.resolve(id + "x/notes/a.md") + "')"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        // mkdir of notes needs write on the folder itself, which *.md does not give
        assertThat(r.out()).contains("mkdir: 7020");
        assertThat(r.out()).contains("data write: 7021"); // allowed, but the folder does not exist
        assertThat(r.out()).contains("data other: 7020", "next app: 7020");
    }

    @Test
    void temporaryFilesNeedWritePermissionInTemp() throws IOException {
        var r = fixture("""
                [permissions.fs]
                read = ["$TEMP/kiln-fstest-*"]
                write = ["$TEMP/kiln-fstest-*"]
                """).run("import { tempFile, tempDir, writeTextFile, readTextFile, remove } from 'runtime:fs';\n"
                + "const f = await tempFile('kiln-fstest-', '.txt');\n"
                + "await writeTextFile(f.path, 'temp');\n"
                + "console.log('file ' + f.path + ' ' + await readTextFile(f.path));\n"
                + "const d = await tempDir('kiln-fstest-');\n"
                + "console.log('dir ' + d.path);\n"
                + "await remove(f.path); await remove(d.path);\n"
                + fails("other prefix", "tempFile('other-')")
                + fails("escape", "tempFile('../kiln-fstest-')"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        String temp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath().toString();
        assertThat(r.out()).containsPattern("file " + java.util.regex.Pattern.quote(temp) + "/kiln-fstest-\\d+\\.txt temp")
                .containsPattern("dir " + java.util.regex.Pattern.quote(temp) + "/kiln-fstest-\\d+")
                .contains("other prefix: 7020 [7020] Writing " + temp + "/other-x",
                        "escape: 7024 [7024] tempFile(): the prefix and suffix must be plain names, got '../kiln-fstest-'");
    }

    @Test
    void watchGivesChangesUntilClosed() throws Exception {
        Path data = Files.createDirectories(app.resolve("data"));
        var r = fixture(DATA_RW).run("""
                import { watch, writeTextFile, mkdir, remove } from "runtime:fs";
                const watcher = await watch("data");
                const seen = [];
                const done = (async () => {
                  for await (const change of watcher) {
                    seen.push(change.kind + " " + change.paths.map((p) => p.slice(p.lastIndexOf("/") + 1)).join());
                    if (seen.some((s) => s.startsWith("remove one.txt"))) break;
                  }
                })();
                await writeTextFile("data/one.txt", "1");
                await mkdir("data/sub");
                await new Promise((r) => setTimeout(r, 500));
                await writeTextFile("data/sub/deep.txt", "2");
                await new Promise((r) => setTimeout(r, 500));
                await remove("data/one.txt");
                const timer = setTimeout(() => { console.log("timed out: " + seen.join(" | ")); watcher.close(); }, 20000);
                await done;
                clearTimeout(timer);
                console.log("seen: " + [...new Set(seen)].join(" | "));
                console.log("after close:", await watcher.next());
                // closed from Java's side (the app ending, here another watcher closed while waiting)
                const other = await watch("data");
                const waiting = other.next();
                await other.close();
                console.log("closed while waiting:", await waiting);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("timed out");
        assertThat(r.out()).contains("create one.txt", "create sub", "create deep.txt", "remove one.txt", "after close: null",
                "closed while waiting: null");
    }
}
