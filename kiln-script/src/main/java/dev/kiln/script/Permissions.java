package dev.kiln.script;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks every platform module makes before it touches the machine: the manifest's
 * {@code [permissions]} ({@link AppPermissions}) compiled against the app's folders. Everything is
 * denied unless allowed; a denial is a {@link KilnException} with {@link ErrorCode#ACCESS_DENIED}
 * whose message names the manifest entry that would allow it.
 *
 * <p>Paths: {@link #resolve} turns the script's path into an absolute one (relative paths are
 * relative to the app folder); the checks then compare real paths ({@link PathScope}) and return the
 * path the operation must use, so that what is checked is what is touched. Beyond the manifest,
 * runtime:fs may use what the user picked in a native dialog during the run ({@link DialogGrants}).
 *
 * <p>Any thread (the checks read the disk to resolve links: call them off the loop). The manifest's
 * part is immutable; the dialog grants only grow, and each run has its own ({@link #forRun}).
 */
final class Permissions {
    private final AppFolders folders;
    private final PathScope read;
    private final PathScope write;
    private final PathScope wasm;
    private final List<HostPattern> netAllow;
    private final List<HostPattern> netDeny;
    private final List<String> commands;
    private final boolean anyCommand;
    private final List<PathMatcher> bareCommands;
    private final PathScope commandPaths;
    private final List<PathMatcher> envRead;
    private final List<PathMatcher> envWrite;
    private final AppPermissions table;
    private final DialogGrants grants;

    /**
     * Compiles the manifest's permissions for this app.
     *
     * @throws AppError with {@link AppError#CONFIG} for a pattern that cannot be used
     */
    Permissions(AppPermissions table, AppFolders folders) {
        this.table = table;
        this.folders = folders;
        read = PathScope.compile(table.fsRead(), folders.roots(), "[permissions.fs] read");
        write = PathScope.compile(table.fsWrite(), folders.roots(), "[permissions.fs] write");
        wasm = PathScope.compile(table.wasmLoad(), folders.roots(), "[permissions.wasm] load");
        netAllow = table.netAllow().stream().map(h -> HostPattern.parse(h, "[permissions.net] allow")).toList();
        netDeny = table.netDeny().stream().map(h -> HostPattern.parse(h, "[permissions.net] deny")).toList();
        commands = table.run();
        anyCommand = commands.contains("*");
        List<PathMatcher> bare = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (String c : commands) {
            if (c.contains("/") || c.contains("\\") || c.startsWith("~") || c.startsWith("$")) {
                paths.add(c);
            } else {
                bare.add(simpleGlob(c, "[permissions.process] allow"));
            }
        }
        bareCommands = List.copyOf(bare);
        commandPaths = PathScope.compile(paths, folders.roots(), "[permissions.process] allow");
        envRead = table.envRead().stream().map(p -> simpleGlob(p, "[permissions.sys.env] read")).toList();
        envWrite = table.envWrite().stream().map(p -> simpleGlob(p, "[permissions.sys.env] write")).toList();
        grants = new DialogGrants();
    }

    private Permissions(Permissions compiled, DialogGrants grants) {
        table = compiled.table;
        folders = compiled.folders;
        read = compiled.read;
        write = compiled.write;
        wasm = compiled.wasm;
        netAllow = compiled.netAllow;
        netDeny = compiled.netDeny;
        commands = compiled.commands;
        anyCommand = compiled.anyCommand;
        bareCommands = compiled.bareCommands;
        commandPaths = compiled.commandPaths;
        envRead = compiled.envRead;
        envWrite = compiled.envWrite;
        this.grants = grants;
    }

    /** The same manifest permissions with no dialog grants yet: one per run, so that grants end with it. */
    Permissions forRun() {
        return new Permissions(this, new DialogGrants());
    }

    /**
     * Records the user's pick in a native {@code dialog.open}: runtime:fs may read {@code path} (a
     * folder: it and everything below) for the rest of the run, by its real path as it is now.
     */
    void grantOpened(Path path, boolean folder) {
        grants.grantRead(real(path), folder);
    }

    /** Records the user's pick in a native {@code dialog.save}: runtime:fs may write {@code path}, by its real path. */
    void grantSaved(Path path) {
        grants.grantWrite(real(path));
    }

    AppFolders folders() {
        return folders;
    }

    /**
     * The script's path made absolute: relative to the app folder, {@code ~/} to the home folder;
     * {@code ..} is left for the checks to apply.
     *
     * @throws KilnException {@link ErrorCode#INVALID_ARGUMENT} for an empty path or one the OS cannot name
     */
    Path resolve(String path) {
        if (path == null || path.isEmpty()) {
            throw new KilnException(ErrorCode.INVALID_ARGUMENT, "A path must be a non-empty string");
        }
        try {
            if (path.equals("~") || path.startsWith("~/") || path.startsWith("~" + File.separator)) {
                return folders.home().resolve(path.substring(Math.min(2, path.length())));
            }
            Path p = Path.of(path);
            return p.isAbsolute() ? p : folders.appDir().resolve(p);
        } catch (InvalidPathException e) {
            throw new KilnException(ErrorCode.INVALID_ARGUMENT, "Not a path: '" + path + "' (" + e.getReason() + ")");
        }
    }

    /** Allows reading the file or folder at {@code path} (absolute); the real path to read. */
    Path checkRead(Path path) {
        return checkFs(false, real(path));
    }

    /** Allows writing, creating or removing at {@code path} (absolute); the real path to write. */
    Path checkWrite(Path path) {
        return checkFs(true, real(path));
    }

    /**
     * Allows removing or renaming the entry at {@code path} itself: a link is the link, not its
     * target (its folder is resolved). The path to act on.
     */
    Path checkWriteEntry(Path path) {
        return checkFs(true, realParent(path));
    }

    /** Allows reading the entry at {@code path} itself (a link's text, not its target); the path to read. */
    Path checkReadEntry(Path path) {
        return checkFs(false, realParent(path));
    }

    /** Allows loading the WebAssembly file at {@code path}; the real path to load. */
    Path checkWasm(Path path) {
        return check(wasm, real(path), "Loading WebAssembly from", "[permissions.wasm] load");
    }

    /** Allows a connection to {@code host} (a name or an IP address) on {@code port}. */
    void checkNet(String host, int port) {
        String h = HostPattern.normalizeHost(host);
        for (HostPattern p : netDeny) {
            if (p.matches(h, port)) {
                throw denied("Connecting to " + hostPort(host, port) + " is not allowed: [permissions.net] deny has '"
                        + p.text() + "' in " + AppManifest.FILE_NAME);
            }
        }
        for (HostPattern p : netAllow) {
            if (p.matches(h, port)) {
                return;
            }
        }
        throw denied("Connecting to " + hostPort(host, port) + " is not allowed: add \"" + h
                + "\" (or a pattern such as \"*." + parentDomain(h) + "\") to [permissions.net] allow in " + AppManifest.FILE_NAME);
    }

    /**
     * Allows running {@code command}: a bare name (found on the PATH by the caller) must match a bare
     * pattern such as {@code git}; a path (relative to the app folder) must match a path pattern such
     * as {@code /usr/bin/*} by its real path. {@code "*"} alone allows every command.
     *
     * @return the command to run: the bare name, or the real path
     */
    String checkRun(String command) {
        if (command == null || command.isBlank()) {
            throw new KilnException(ErrorCode.INVALID_ARGUMENT, "A command must be a non-empty string");
        }
        boolean isPath = command.contains("/") || command.contains(File.separator) || command.startsWith("~");
        if (!isPath) {
            if (anyCommand || bareCommands.stream().anyMatch(m -> m.matches(Path.of(command)))) {
                return command;
            }
            throw denied("Running '" + command + "' is not allowed: add \"" + command + "\" to [permissions.process] allow in "
                    + AppManifest.FILE_NAME);
        }
        Path real = real(resolve(command));
        if (anyCommand || commandPaths.contains(real)) {
            return real.toString();
        }
        throw denied("Running " + real + " is not allowed: no pattern in [permissions.process] allow matches it; add \""
                + real + "\" to it in " + AppManifest.FILE_NAME + " (a bare name such as \"git\" allows only the bare name)");
    }

    /** Allows reading and writing the clipboard. */
    void checkClipboard() {
        flag(table.clipboard(), "Using the clipboard", "clipboard");
    }

    /** Allows desktop notifications. */
    void checkNotify() {
        flag(table.notifications(), "Showing notifications", "notify");
    }

    /** Allows reading the battery and power state. */
    void checkPower() {
        flag(table.power(), "Reading the power state", "power");
    }

    /** Allows reading environment variable {@code name}. */
    void checkEnvRead(String name) {
        env(envRead, name, "Reading", "read");
    }

    /** Allows setting environment variable {@code name}. */
    void checkEnvWrite(String name) {
        env(envWrite, name, "Setting", "write");
    }

    private void env(List<PathMatcher> patterns, String name, String verb, String key) {
        if (name != null && !name.isEmpty() && !name.contains("/") && patterns.stream().anyMatch(m -> m.matches(Path.of(name)))) {
            return;
        }
        throw denied(verb + " the environment variable " + name + " is not allowed: add \"" + name + "\" to [permissions.sys.env] "
                + key + " in " + AppManifest.FILE_NAME);
    }

    private void flag(boolean on, String what, String key) {
        if (!on) {
            throw denied(what + " is not allowed: set " + key + " = true in [permissions.sys] in " + AppManifest.FILE_NAME);
        }
    }

    private Path checkFs(boolean forWrite, Path real) {
        if (grants.covers(real, forWrite)) {
            return real;
        }
        return forWrite ? check(write, real, "Writing", "[permissions.fs] write") : check(read, real, "Reading", "[permissions.fs] read");
    }

    private static Path check(PathScope scope, Path real, String verb, String entry) {
        if (scope.contains(real)) {
            return real;
        }
        throw denied(verb + " " + real + " is not allowed: no pattern in " + entry + " matches it; add one such as \""
                + real + "\" or \"" + suggestFolder(real) + "\" to " + entry.substring(entry.indexOf(']') + 2) + " in "
                + entry.substring(0, entry.indexOf(']') + 1) + " of " + AppManifest.FILE_NAME);
    }

    private static String suggestFolder(Path real) {
        Path parent = real.getParent();
        return (parent == null ? real : parent).toString().replace(File.separatorChar, '/').replaceAll("/$", "") + "/**";
    }

    private static Path real(Path path) {
        try {
            return PathScope.realPath(path.toAbsolutePath());
        } catch (IOException e) {
            throw new KilnException(ErrorCode.IO_FAILED, "Cannot resolve " + path + ": " + e.getMessage(), e);
        }
    }

    private static Path realParent(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || abs.getFileName() == null) {
            return real(abs);
        }
        return real(parent).resolve(abs.getFileName().toString());
    }

    private static KilnException denied(String message) {
        return new KilnException(ErrorCode.ACCESS_DENIED, message);
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + (port > 0 ? ":" + port : "");
    }

    private static String parentDomain(String host) {
        int dot = host.indexOf('.');
        return dot < 0 || dot == host.lastIndexOf('.') ? host : host.substring(dot + 1);
    }

    private static PathMatcher simpleGlob(String pattern, String where) {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (IllegalArgumentException e) {
            throw AppManifest.bad(where + ": '" + pattern + "' is not a valid pattern: " + e.getMessage());
        }
    }
}
