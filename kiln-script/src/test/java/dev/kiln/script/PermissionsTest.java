package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The permission rules on real folders, files and symbolic links: what each manifest entry allows,
 * and the spellings that try to get around it.
 */
class PermissionsTest {
    @TempDir
    Path tmp;
    Path t;
    AppFolders folders;

    @BeforeEach
    void folders() throws IOException {
        t = tmp.toRealPath();
        folders = new AppFolders(Files.createDirectories(t.resolve("app")), t.resolve("data"),
                Files.createDirectories(t.resolve("home")), Files.createDirectories(t.resolve("tmp")));
        Files.createDirectories(t.resolve("app/data/sub"));
        Files.writeString(t.resolve("app/data/a.txt"), "a");
        Files.writeString(t.resolve("app/secret.txt"), "s");
        Files.createDirectories(t.resolve("outside"));
        Files.writeString(t.resolve("outside/secret.txt"), "s");
    }

    private Permissions perms(String toml) {
        try {
            var root = new TomlMapper().readTree("[app]\nname='t'\nidentifier='t.t'\nversion='1'\n" + toml);
            List<String> warnings = new ArrayList<>();
            return new Permissions(AppPermissions.parse(root, warnings), folders);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void denied(Runnable check, String... messageParts) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(KilnException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
            assertThat(e.getMessage()).startsWith("[7020] ").contains("is not allowed");
            for (String part : messageParts) {
                assertThat(e.getMessage()).contains(part);
            }
        });
    }

    @Test
    void everythingIsDeniedWithoutAPermissionsTable() {
        Permissions p = new Permissions(AppPermissions.NONE, folders);
        denied(() -> p.checkRead(t.resolve("app/data/a.txt")), "Reading " + t.resolve("app/data/a.txt"),
                "[permissions.fs] read", "manifest.app.toml");
        denied(() -> p.checkWrite(t.resolve("app/data/a.txt")), "[permissions.fs] write");
        denied(() -> p.checkNet("example.com", 443), "add \"example.com\"", "[permissions.net] allow");
        denied(() -> p.checkRun("git"), "add \"git\" to [permissions.process] allow");
        denied(p::checkClipboard, "set clipboard = true in [permissions.sys]");
        denied(p::checkNotify, "set notify = true in [permissions.sys]");
        denied(p::checkPower, "set power = true");
        denied(() -> p.checkEnvRead("HOME"), "[permissions.sys.env] read");
        denied(() -> p.checkWasm(t.resolve("app/x.wasm")), "[permissions.wasm] load");
    }

    @Test
    void relativePatternsAreInsideTheAppFolderAndCoverTheFolderItself() {
        Permissions p = perms("[permissions.fs]\nread = ['data/**']\nwrite = ['./data/*.txt']\n");
        assertThat(p.checkRead(t.resolve("app/data/a.txt"))).isEqualTo(t.resolve("app/data/a.txt"));
        assertThat(p.checkRead(t.resolve("app/data"))).isEqualTo(t.resolve("app/data"));
        assertThat(p.checkRead(t.resolve("app/data/sub/new/deeper.bin"))).isNotNull();
        denied(() -> p.checkRead(t.resolve("app/secret.txt")));
        denied(() -> p.checkRead(t.resolve("app")));
        // * stays within one name
        assertThat(p.checkWrite(t.resolve("app/data/new.txt"))).isNotNull();
        denied(() -> p.checkWrite(t.resolve("app/data/sub/new.txt")));
        denied(() -> p.checkWrite(t.resolve("app/data/a.md")));
        // the script's relative paths resolve against the app folder, whatever the working directory
        assertThat(p.resolve("data/a.txt")).isEqualTo(t.resolve("app/data/a.txt"));
        assertThat(p.resolve("~/x")).isEqualTo(t.resolve("home/x"));
    }

    @Test
    void dotDotCannotLeaveTheScope() {
        Permissions p = perms("[permissions.fs]\nread = ['data/**']\nwrite = ['data/**']\n");
        denied(() -> p.checkRead(t.resolve("app/data/../secret.txt")), "Reading " + t.resolve("app/secret.txt"));
        denied(() -> p.checkRead(t.resolve("app/data/sub/../../secret.txt")));
        denied(() -> p.checkWrite(t.resolve("app/data/missing/../../x.txt")));
        denied(() -> p.checkRead(p.resolve("data/../../outside/secret.txt")));
        assertThat(p.checkRead(t.resolve("app/data/sub/../a.txt"))).isEqualTo(t.resolve("app/data/a.txt"));
    }

    @Test
    void symbolicLinksAreJudgedByWhereTheyLead() throws IOException {
        Files.createSymbolicLink(t.resolve("app/data/out-dir"), t.resolve("outside"));
        Files.createSymbolicLink(t.resolve("app/data/out-file.txt"), t.resolve("outside/secret.txt"));
        Files.createSymbolicLink(t.resolve("app/data/dangling.txt"), t.resolve("outside/not-yet.txt"));
        Files.createSymbolicLink(t.resolve("app/data/relative-up"), Path.of("../../outside"));
        Files.createSymbolicLink(t.resolve("app/data/in-scope.txt"), Path.of("a.txt"));
        Files.createSymbolicLink(t.resolve("outside/into-data"), t.resolve("app/data"));
        Permissions p = perms("[permissions.fs]\nread = ['data/**']\nwrite = ['data/**']\n");

        denied(() -> p.checkRead(t.resolve("app/data/out-dir/secret.txt")), "Reading " + t.resolve("outside/secret.txt"));
        denied(() -> p.checkRead(t.resolve("app/data/out-dir")));
        denied(() -> p.checkRead(t.resolve("app/data/out-file.txt")));
        denied(() -> p.checkWrite(t.resolve("app/data/out-dir/new.txt")));
        denied(() -> p.checkWrite(t.resolve("app/data/dangling.txt")), "Writing " + t.resolve("outside/not-yet.txt"));
        denied(() -> p.checkRead(t.resolve("app/data/relative-up/secret.txt")));
        // `..` after a link is the link target's parent, as the OS sees it
        denied(() -> p.checkRead(t.resolve("app/data/out-dir/../outside/secret.txt")));
        assertThat(p.checkRead(t.resolve("app/data/in-scope.txt"))).isEqualTo(t.resolve("app/data/a.txt"));
        // a link from outside into the scope reaches what is inside
        assertThat(p.checkRead(t.resolve("outside/into-data/a.txt"))).isEqualTo(t.resolve("app/data/a.txt"));
        // removing or renaming a link acts on the link, which is inside
        assertThat(p.checkWriteEntry(t.resolve("app/data/out-file.txt"))).isEqualTo(t.resolve("app/data/out-file.txt"));
        denied(() -> p.checkWriteEntry(t.resolve("app/data/out-dir/secret.txt")));
    }

    @Test
    void linksThatLoopAreAnError() throws IOException {
        Files.createSymbolicLink(t.resolve("app/data/loop1"), t.resolve("app/data/loop2"));
        Files.createSymbolicLink(t.resolve("app/data/loop2"), t.resolve("app/data/loop1"));
        Permissions p = perms("[permissions.fs]\nread = ['data/**']\n");
        assertThatThrownBy(() -> p.checkRead(t.resolve("app/data/loop1/x")))
                .isInstanceOfSatisfying(KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_FAILED))
                .hasMessageContaining("Too many levels of symbolic links");
    }

    @Test
    void caseVariantsAreOtherPaths() throws IOException {
        Files.createDirectories(t.resolve("home/Docs"));
        Files.writeString(t.resolve("home/Docs/n.txt"), "n");
        Files.createDirectories(t.resolve("home/docs"));
        Files.writeString(t.resolve("home/docs/private.txt"), "p");
        Permissions p = perms("[permissions.fs]\nread = ['$HOME/Docs/**']\n");
        assertThat(p.checkRead(t.resolve("home/Docs/n.txt"))).isNotNull();
        denied(() -> p.checkRead(t.resolve("home/docs/private.txt")));
        denied(() -> p.checkRead(t.resolve("home/DOCS/n.txt")));
        denied(() -> p.checkRead(t.resolve("home/Docs/../docs/private.txt")));
    }

    @Test
    void rootsExpandToTheirFoldersAndUnknownRootsAreRefused() throws IOException {
        Permissions p = perms("[permissions.fs]\nread = ['~/notes/**', '$APPDATA/**', '$TEMP/kiln-*', '$APPDIR/web/**', '"
                + t.resolve("outside") + "/*.txt']\n");
        assertThat(p.checkRead(t.resolve("home/notes/a/b.md"))).isNotNull();
        assertThat(p.checkRead(t.resolve("data/store/x"))).isNotNull(); // the data folder need not exist yet
        assertThat(p.checkRead(t.resolve("tmp/kiln-1"))).isNotNull();
        assertThat(p.checkRead(t.resolve("app/web/index.html"))).isNotNull();
        assertThat(p.checkRead(t.resolve("outside/secret.txt"))).isNotNull();
        denied(() -> p.checkRead(t.resolve("home/notes-other/x")));
        denied(() -> p.checkRead(t.resolve("home")));
        denied(() -> p.checkRead(t.resolve("tmp/other")));

        assertThatThrownBy(() -> perms("[permissions.fs]\nread = ['$HOMEX/a']\n")).isInstanceOf(AppError.class)
                .hasMessageContaining("unknown root $HOMEX").hasMessageContaining("$APPDATA, $APPDIR, $HOME, $TEMP");
        assertThatThrownBy(() -> perms("[permissions.fs]\nread = ['$HOME/../etc/**']\n")).isInstanceOf(AppError.class)
                .hasMessageContaining("contains '..'");
        assertThatThrownBy(() -> perms("[permissions.fs]\nread = ['~root/x']\n")).isInstanceOf(AppError.class)
                .hasMessageContaining("not ~name");
        assertThatThrownBy(() -> perms("[permissions.fs]\nread = ['data/[a']\n")).isInstanceOf(AppError.class)
                .hasMessageContaining("[permissions.fs] read: 'data/[a' is not a valid pattern");
        // $HOME alone is the home folder, not what is in it
        Permissions home = perms("[permissions.fs]\nread = ['$HOME']\n");
        assertThat(home.checkRead(t.resolve("home"))).isNotNull();
        denied(() -> home.checkRead(t.resolve("home/x")));
    }

    @Test
    void aRootReachedThroughALinkMatchesEitherSpelling() throws IOException {
        Files.createDirectories(t.resolve("realhome/docs"));
        Path linkedHome = Files.createSymbolicLink(t.resolve("linkhome"), t.resolve("realhome"));
        folders = new AppFolders(folders.appDir(), folders.data(), linkedHome, folders.temp());
        Permissions p = perms("[permissions.fs]\nread = ['~/docs/**']\n");
        assertThat(p.checkRead(t.resolve("linkhome/docs/a"))).isEqualTo(t.resolve("realhome/docs/a"));
        assertThat(p.checkRead(t.resolve("realhome/docs/a"))).isEqualTo(t.resolve("realhome/docs/a"));
    }

    @Test
    void globCharactersInAFolderNameAreLiteral() throws IOException {
        Path odd = Files.createDirectories(t.resolve("we[i]rd{x}*"));
        folders = new AppFolders(odd, folders.data(), folders.home(), folders.temp());
        Files.createDirectories(t.resolve("wei"));
        Permissions p = perms("[permissions.fs]\nread = ['**']\n");
        assertThat(p.checkRead(odd.resolve("f.txt"))).isNotNull();
        denied(() -> p.checkRead(t.resolve("wei/f.txt")));
        denied(() -> p.checkRead(t.resolve("werdx/f.txt")));
    }

    @Test
    void hostsMatchWithoutCaseWithDenyWinning() {
        Permissions p = perms("[permissions.net]\nallow = ['api.example.com', '*.trusted.com', 'localhost:8080', '192.168.1.*', '[::1]:3000']\n"
                + "deny = ['bad.trusted.com']\n");
        p.checkNet("api.example.com", 443);
        p.checkNet("API.Example.COM.", 80);
        p.checkNet("x.trusted.com", 443);
        p.checkNet("a.b.trusted.com", 443);
        p.checkNet("localhost", 8080);
        p.checkNet("192.168.1.20", 22);
        p.checkNet("[::1]", 3000);
        p.checkNet("::1", 3000);
        denied(() -> p.checkNet("bad.trusted.com", 443), "[permissions.net] deny has 'bad.trusted.com'");
        denied(() -> p.checkNet("BAD.trusted.com", 443), "deny");
        denied(() -> p.checkNet("trusted.com", 443));
        denied(() -> p.checkNet("eviltrusted.com", 443));
        denied(() -> p.checkNet("api.example.com.evil.net", 443));
        denied(() -> p.checkNet("localhost", 9090), "localhost:9090");
        denied(() -> p.checkNet("::1", 3001));
        denied(() -> p.checkNet("192.168.10.1", 22));
    }

    @Test
    void commandsByBareNameOrByRealPath() throws IOException {
        Path bin = Files.createDirectories(t.resolve("bin"));
        Path tool = Files.writeString(bin.resolve("tool"), "#!/bin/sh\n");
        Files.createSymbolicLink(bin.resolve("sneaky"), Path.of("/bin/sh"));
        Files.createDirectories(t.resolve("outside/bin"));
        Permissions p = perms("[permissions.process]\nallow = ['git', 'py*', '" + bin + "/*']\n");
        assertThat(p.checkRun("git")).isEqualTo("git");
        assertThat(p.checkRun("python3")).isEqualTo("python3");
        assertThat(p.checkRun(tool.toString())).isEqualTo(tool.toString());
        assertThat(p.checkRun(t.resolve("outside/../bin/tool").toString())).isEqualTo(tool.toString());
        denied(() -> p.checkRun("/usr/bin/git"), "a bare name such as \"git\" allows only the bare name");
        denied(() -> p.checkRun("./git"));
        denied(() -> p.checkRun("gitk"));
        denied(() -> p.checkRun(bin.resolve("sneaky").toString()));
        denied(() -> p.checkRun(bin.resolve("sub/tool").toString()));
        Permissions any = perms("[permissions.process]\nallow = ['*']\n");
        assertThat(any.checkRun("/bin/sh")).isNotNull();
    }

    @Test
    void forgeSpellingsAreAccepted() {
        Permissions p = perms("""
                [capabilities.fs]
                read = ["data/**"]
                [capabilities.net]
                fetch = ["https://api.open-meteo.com/*", "http://localhost:*"]
                [capabilities.sys]
                notifications = true
                clipboard = true
                info = true
                [capabilities.process]
                spawn = ["git"]
                [permissions.sys.env]
                read = ["HOME", "KILN_*"]
                """);
        assertThat(p.checkRead(t.resolve("app/data/a.txt"))).isNotNull();
        p.checkNet("api.open-meteo.com", 443);
        p.checkNet("localhost", 5173);
        denied(() -> p.checkNet("geocoding-api.open-meteo.com", 443));
        p.checkNotify();
        p.checkClipboard();
        p.checkRun("git");
        p.checkEnvRead("KILN_X");
        denied(() -> p.checkEnvRead("PATH"));
        denied(() -> p.checkEnvWrite("HOME"));

        Permissions spawnOff = perms("[capabilities.process]\nlist = true\nspawn = false\n");
        denied(() -> spawnOff.checkRun("git"));
    }

    @Test
    void manifestWarnsAboutTablesKilnIgnores() throws IOException {
        var root = new TomlMapper().readTree("""
                [app]
                name='t'
                identifier='t.t'
                version='1'
                [permissions.ui]
                tray = true
                [permissions.process]
                allow = ["git"]
                max_processes = 5
                """);
        AppManifest m = AppManifest.parse(root);
        assertThat(m.warnings()).contains("manifest.app.toml: [permissions.ui] is not supported by Kiln and is ignored",
                "manifest.app.toml: unknown key max_processes in [permissions.process] is ignored");
        assertThat(m.permissions().run()).containsExactly("git");
        assertThatThrownBy(() -> AppManifest.parse(new TomlMapper().readTree(
                "[app]\nname='t'\nidentifier='t.t'\nversion='1'\n[permissions.fs]\nread = 'data/**'\n")))
                .isInstanceOf(AppError.class).hasMessage("manifest.app.toml: [permissions.fs] read must be a list of strings, got \"data/**\"");
    }

    @Test
    void aFilePickedInADialogIsReadableOrWritableButItsSiblingsAreNot() throws IOException {
        Path picked = Files.writeString(t.resolve("outside/picked.txt"), "p");
        Path saveTo = t.resolve("outside/new-folder-free.txt"); // a save dialog may name a file that does not exist yet
        Permissions p = perms("[permissions.fs]\nread = ['data/**']\n").forRun();
        denied(() -> p.checkRead(picked), "Reading " + picked);

        p.grantOpened(picked, false);
        p.grantSaved(saveTo);
        assertThat(p.checkRead(picked)).isEqualTo(picked);
        assertThat(p.checkRead(t.resolve("outside/../outside/./picked.txt"))).isEqualTo(picked);
        assertThat(p.checkWrite(saveTo)).isEqualTo(saveTo);
        assertThat(p.checkWriteEntry(saveTo)).isEqualTo(saveTo);
        // open grants reading only, save writing only
        denied(() -> p.checkWrite(picked), "Writing " + picked);
        denied(() -> p.checkRead(saveTo), "Reading " + saveTo);
        // the file next to the pick, the folder holding it, another case: not picked
        denied(() -> p.checkRead(t.resolve("outside/secret.txt")), "Reading " + t.resolve("outside/secret.txt"));
        denied(() -> p.checkRead(t.resolve("outside")));
        denied(() -> p.checkRead(t.resolve("outside/PICKED.txt")));
        denied(() -> p.checkWrite(t.resolve("outside/new-folder-free.txt/below")));
        // the manifest's patterns still apply beside the grants
        assertThat(p.checkRead(t.resolve("app/data/a.txt"))).isNotNull();
    }

    @Test
    void aPickedFolderCoversItselfAndEverythingBelowIt() throws IOException {
        Files.createDirectories(t.resolve("outside/docs/sub"));
        Files.writeString(t.resolve("outside/docs/sub/x.txt"), "x");
        Files.createDirectories(t.resolve("outside/docs-other"));
        Permissions p = perms("").forRun();
        p.grantOpened(t.resolve("outside/docs"), true);
        assertThat(p.checkRead(t.resolve("outside/docs"))).isEqualTo(t.resolve("outside/docs"));
        assertThat(p.checkRead(t.resolve("outside/docs/sub/x.txt"))).isEqualTo(t.resolve("outside/docs/sub/x.txt"));
        denied(() -> p.checkRead(t.resolve("outside/docs-other")));
        denied(() -> p.checkRead(t.resolve("outside/docs/../secret.txt")), "Reading " + t.resolve("outside/secret.txt"));
        denied(() -> p.checkWrite(t.resolve("outside/docs/sub/x.txt")));
    }

    @Test
    void aLinkPlantedInPlaceOfThePickLeadsOutOfTheGrant() throws IOException {
        Path picked = Files.writeString(t.resolve("home/picked.txt"), "p");
        Path folder = Files.createDirectories(t.resolve("home/picked-folder"));
        Permissions p = perms("").forRun();
        p.grantOpened(picked, false);
        p.grantOpened(folder, true);
        p.grantSaved(picked);
        assertThat(p.checkRead(picked)).isEqualTo(picked);

        // the grant is the real file picked: a link put there afterwards is judged by where it leads
        Files.delete(picked);
        Files.createSymbolicLink(picked, t.resolve("outside/secret.txt"));
        denied(() -> p.checkRead(picked), "Reading " + t.resolve("outside/secret.txt"));
        denied(() -> p.checkWrite(picked), "Writing " + t.resolve("outside/secret.txt"));
        Files.createSymbolicLink(folder.resolve("out"), t.resolve("outside"));
        denied(() -> p.checkRead(folder.resolve("out/secret.txt")), "Reading " + t.resolve("outside/secret.txt"));

        // a pick that is itself a link grants its target, as the manifest's patterns resolve theirs
        Path link = Files.createSymbolicLink(t.resolve("home/link-to-a.txt"), t.resolve("app/data/a.txt"));
        p.grantOpened(link, false);
        assertThat(p.checkRead(link)).isEqualTo(t.resolve("app/data/a.txt"));
        assertThat(p.checkRead(t.resolve("app/data/a.txt"))).isEqualTo(t.resolve("app/data/a.txt"));
    }

    @Test
    void grantsEndWithTheRun() throws IOException {
        Path picked = Files.writeString(t.resolve("outside/picked.txt"), "p");
        Permissions app = perms("");
        Permissions first = app.forRun();
        first.grantOpened(picked, false);
        first.grantSaved(picked);
        assertThat(first.checkRead(picked)).isEqualTo(picked);
        Permissions second = app.forRun();
        denied(() -> second.checkRead(picked));
        denied(() -> second.checkWrite(picked));
        denied(() -> app.checkRead(picked));
    }
}
