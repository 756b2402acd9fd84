package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.values.V8Value;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The ops behind {@code runtime:fs} (bootstrap {@code 10-fs.js}): files and folders, each call
 * checked against {@code [permissions.fs]} ({@link Permissions}) and done on a worker.
 *
 * <p>Threading: the ops are called on the loop thread and return at once; the work and the
 * permission checks run on {@link Platform#io}; results are settled on the loop.
 */
final class FsOps implements AutoCloseable {
    static final String OP_FS_READ_TEXT = "fsReadText";
    static final String OP_FS_READ_BYTES = "fsReadBytes";
    static final String OP_FS_WRITE_TEXT = "fsWriteText";
    static final String OP_FS_WRITE_BYTES = "fsWriteBytes";
    static final String OP_FS_STAT = "fsStat";
    static final String OP_FS_READ_DIR = "fsReadDir";
    static final String OP_FS_MKDIR = "fsMkdir";
    static final String OP_FS_REMOVE = "fsRemove";
    static final String OP_FS_RENAME = "fsRename";
    static final String OP_FS_COPY = "fsCopy";
    static final String OP_FS_EXISTS = "fsExists";
    static final String OP_FS_SYMLINK = "fsSymlink";
    static final String OP_FS_READ_LINK = "fsReadLink";
    static final String OP_FS_REAL_PATH = "fsRealPath";
    static final String OP_FS_TEMP = "fsTemp";
    static final String OP_FS_WATCH = "fsWatch";
    static final String OP_FS_WATCH_NEXT = "fsWatchNext";
    static final String OP_FS_WATCH_CLOSE = "fsWatchClose";

    private final Platform platform;
    private final Permissions permissions;
    private final Map<Integer, FileWatch> watches = new ConcurrentHashMap<>();
    private final AtomicInteger watchIds = new AtomicInteger();

    FsOps(Platform platform) {
        this.platform = platform;
        this.permissions = platform.permissions();
        platform.ended().whenComplete((v, e) -> close()); // waiting watchers end with the app, as event streams do
    }

    @V8Function(name = OP_FS_READ_TEXT)
    public void readText(int promiseId, String path) {
        platform.asyncParked(promiseId, () -> Files.readString(permissions.checkRead(permissions.resolve(path)), StandardCharsets.UTF_8));
    }

    @V8Function(name = OP_FS_READ_BYTES)
    public void readBytes(int promiseId, String path) {
        platform.asyncParked(promiseId, () -> Files.readAllBytes(permissions.checkRead(permissions.resolve(path))));
    }

    @V8Function(name = OP_FS_WRITE_TEXT)
    public void writeText(int promiseId, String path, String text, boolean append) {
        write(promiseId, path, text.getBytes(StandardCharsets.UTF_8), append);
    }

    /** The bytes are copied out of the script's array here, on the loop, before the write starts. */
    @V8Function(name = OP_FS_WRITE_BYTES)
    public void writeBytes(int promiseId, String path, V8Value data, boolean append) throws JavetException {
        write(promiseId, path, BytesOps.bytes(data, "The data"), append);
    }

    private void write(int promiseId, String path, byte[] bytes, boolean append) {
        platform.async(promiseId, () -> Files.write(permissions.checkWrite(permissions.resolve(path)), bytes,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING));
    }

    /**
     * {@code stat} (follows links; {@code isSymlink} says whether the path itself is one) or, with
     * {@code entry}, {@code lstat}-like metadata of the entry itself.
     */
    @V8Function(name = OP_FS_STAT)
    public void stat(int promiseId, String path, boolean entry) {
        platform.async(promiseId, () -> {
            Path given = permissions.resolve(path);
            Path p = entry ? permissions.checkReadEntry(given) : permissions.checkRead(given);
            BasicFileAttributes a = entry ? Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    : Files.readAttributes(p, BasicFileAttributes.class);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("isFile", a.isRegularFile());
            out.put("isDirectory", a.isDirectory());
            out.put("isSymlink", entry ? a.isSymbolicLink() : Files.isSymbolicLink(given));
            out.put("size", a.size());
            out.put("mtime", millis(a.lastModifiedTime()));
            out.put("atime", millis(a.lastAccessTime()));
            out.put("birthtime", millis(a.creationTime())); // the modification time where the file system keeps none
            out.put("readonly", !Files.isWritable(p));
            Object mode = null;
            try {
                mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                // not a Unix file system: no mode bits
            }
            out.put("mode", mode);
            return out;
        }, Json::write);
    }

    @V8Function(name = OP_FS_READ_DIR)
    public void readDir(int promiseId, String path) {
        platform.async(promiseId, () -> {
            Path dir = permissions.checkRead(permissions.resolve(path));
            List<Map<String, Object>> entries = new ArrayList<>();
            try (Stream<Path> list = Files.list(dir)) {
                for (Path p : (Iterable<Path>) list.sorted()::iterator) {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("name", p.getFileName().toString());
                    e.put("isFile", a.isRegularFile());
                    e.put("isDirectory", a.isDirectory());
                    e.put("isSymlink", a.isSymbolicLink());
                    entries.add(e);
                }
            }
            return entries;
        }, Json::write);
    }

    @V8Function(name = OP_FS_MKDIR)
    public void mkdir(int promiseId, String path, boolean recursive) {
        platform.async(promiseId, () -> {
            Path dir = permissions.checkWrite(permissions.resolve(path));
            return recursive ? Files.createDirectories(dir) : Files.createDirectory(dir);
        });
    }

    @V8Function(name = OP_FS_REMOVE)
    public void remove(int promiseId, String path, boolean recursive) {
        platform.async(promiseId, () -> {
            Path p = permissions.checkWriteEntry(permissions.resolve(path));
            if (recursive && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(p);
            } else {
                Files.delete(p);
            }
            return null;
        });
    }

    /** Deletes a folder and what is in it; links inside are deleted, never followed. */
    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @V8Function(name = OP_FS_RENAME)
    public void rename(int promiseId, String from, String to) {
        platform.async(promiseId, () -> {
            Path source = permissions.checkWriteEntry(permissions.resolve(from));
            Path target = permissions.checkWriteEntry(permissions.resolve(to));
            try {
                return Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                return Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
        });
    }

    @V8Function(name = OP_FS_COPY)
    public void copy(int promiseId, String from, String to) {
        platform.async(promiseId, () -> {
            Path source = permissions.checkRead(permissions.resolve(from));
            Path target = permissions.checkWrite(permissions.resolve(to));
            if (Files.isDirectory(source)) {
                throw new KilnException(ErrorCode.IO_FAILED, "copy() copies files, and " + source + " is a folder");
            }
            return Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        });
    }

    @V8Function(name = OP_FS_EXISTS)
    public void exists(int promiseId, String path) {
        platform.async(promiseId, () -> Files.exists(permissions.checkRead(permissions.resolve(path))), String::valueOf);
    }

    @V8Function(name = OP_FS_SYMLINK)
    public void symlink(int promiseId, String target, String path) {
        platform.async(promiseId, () -> {
            Path link = permissions.checkWriteEntry(permissions.resolve(path));
            // The target is not checked: every access through the link is judged by where it leads.
            return Files.createSymbolicLink(link, Path.of(target));
        });
    }

    @V8Function(name = OP_FS_READ_LINK)
    public void readLink(int promiseId, String path) {
        platform.async(promiseId, () -> Files.readSymbolicLink(permissions.checkReadEntry(permissions.resolve(path))).toString(),
                Json::write);
    }

    @V8Function(name = OP_FS_REAL_PATH)
    public void realPath(int promiseId, String path) {
        platform.async(promiseId, () -> {
            Path real = permissions.checkRead(permissions.resolve(path));
            if (!Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
                throw new java.nio.file.NoSuchFileException(real.toString());
            }
            return real.toString();
        }, Json::write);
    }

    /** A new temporary file or folder in the system's temporary folder; its path. */
    @V8Function(name = OP_FS_TEMP)
    public void temp(int promiseId, boolean folder, String prefix, String suffix) {
        for (String part : new String[] {prefix, suffix}) {
            if (part != null && (part.contains("/") || part.contains(java.io.File.separator) || part.indexOf('\0') >= 0)) {
                throw new KilnException(ErrorCode.INVALID_ARGUMENT, (folder ? "tempDir" : "tempFile")
                        + "(): the prefix and suffix must be plain names, got '" + part + "'");
            }
        }
        platform.async(promiseId, () -> {
            Path temp = platform.folders().temp();
            // Checked before creating it, under the name pattern it will have.
            permissions.checkWrite(temp.resolve((prefix == null ? "" : prefix) + "x" + (suffix == null ? "" : suffix)));
            Path p = folder ? Files.createTempDirectory(temp, prefix) : Files.createTempFile(temp, prefix, suffix == null ? "" : suffix);
            return permissions.checkWrite(p).toString();
        }, Json::write);
    }

    @V8Function(name = OP_FS_WATCH)
    public void watch(int promiseId, String path, boolean recursive) {
        platform.async(promiseId, () -> {
            Path p = permissions.checkRead(permissions.resolve(path));
            int id = watchIds.incrementAndGet();
            watches.put(id, new FileWatch(p, recursive, "kiln-fs-watch-" + id));
            return id;
        }, String::valueOf);
    }

    /** The watcher's next change, or null once it is closed (or the app ends). */
    @V8Function(name = OP_FS_WATCH_NEXT)
    public void watchNext(int promiseId, int watchId) {
        FileWatch w = watches.get(watchId);
        if (w == null) {
            platform.whenEvent(promiseId, java.util.concurrent.CompletableFuture.completedFuture(null), e -> null);
            return;
        }
        platform.whenEvent(promiseId, w.next(), e -> e == null ? null : Json.write(e));
    }

    @V8Function(name = OP_FS_WATCH_CLOSE)
    public void watchClose(int watchId) {
        FileWatch w = watches.remove(watchId);
        if (w != null) {
            w.close();
        }
    }

    @Override
    public void close() {
        for (Integer id : List.copyOf(watches.keySet())) {
            watchClose(id);
        }
    }

    private static Long millis(FileTime t) {
        return t == null ? null : t.toMillis();
    }
}
