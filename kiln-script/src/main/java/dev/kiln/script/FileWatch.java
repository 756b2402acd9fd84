package dev.kiln.script;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code runtime:fs} watcher: changes under a folder (and its subfolders, when recursive), or to
 * one file, as {@code {kind: "create" | "modify" | "remove" | "other", paths: [path]}} events, queued
 * until the script asks for them. {@code "other"} means events were lost (the OS queue overflowed):
 * look again at what you watch.
 *
 * <p>Threading: a daemon thread of its own waits on the {@link WatchService}; {@link #next} and
 * {@link #close} from any thread (guarded by this object's lock).
 */
final class FileWatch {
    /** One change, as the script sees it. */
    record Change(String kind, List<String> paths) {
    }

    /** Changes kept for a script that does not ask for them; beyond, they are summed up as one "other". */
    static final int MAX_QUEUED = 10_000;

    private final WatchService service;
    private final Path file; // the one file watched, or null for a folder
    private final boolean recursive;
    private final Map<WatchKey, Path> folders = new HashMap<>();
    // guarded by this
    private final Deque<Change> queued = new ArrayDeque<>();
    private final Deque<CompletableFuture<Change>> waiting = new ArrayDeque<>();
    private boolean closed;

    /** Starts watching {@code path} (a real path that exists). */
    FileWatch(Path path, boolean recursive, String threadName) throws IOException {
        if (!Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString());
        }
        this.service = FileSystems.getDefault().newWatchService();
        this.recursive = recursive;
        try {
            if (Files.isDirectory(path)) {
                file = null;
                register(path);
            } else {
                file = path;
                register(path.getParent());
            }
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
        Thread t = new Thread(this::run, threadName);
        t.setDaemon(true);
        t.start();
    }

    /** The next change: at once if one is queued; null once closed. */
    synchronized CompletableFuture<Change> next() {
        if (!queued.isEmpty()) {
            return CompletableFuture.completedFuture(queued.poll());
        }
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Change> f = new CompletableFuture<>();
        waiting.add(f);
        return f;
    }

    void close() {
        List<CompletableFuture<Change>> ended;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ended = List.copyOf(waiting);
            waiting.clear();
        }
        try {
            service.close();
        } catch (IOException e) {
            // closing anyway
        }
        ended.forEach(f -> f.complete(null));
    }

    private void register(Path folder) throws IOException {
        if (!recursive || file != null) {
            folders.put(folder.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE), folder);
            return;
        }
        Files.walkFileTree(folder, new SimpleFileVisitor<>() { // links to folders are not followed
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                folders.put(dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE), dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                return FileVisitResult.CONTINUE; // an unreadable subfolder is not watched
            }
        });
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                Path folder = folders.get(key);
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        deliver(new Change("other", List.of()));
                        continue;
                    }
                    Path changed = folder == null ? null : folder.resolve((Path) event.context());
                    if (changed == null || file != null && !changed.equals(file)) {
                        continue;
                    }
                    String kind = event.kind() == StandardWatchEventKinds.ENTRY_CREATE ? "create"
                            : event.kind() == StandardWatchEventKinds.ENTRY_DELETE ? "remove" : "modify";
                    if (kind.equals("create") && recursive && file == null && Files.isDirectory(changed, LinkOption.NOFOLLOW_LINKS)) {
                        try {
                            register(changed);
                        } catch (IOException e) {
                            // gone again already, or unreadable: not watched
                        }
                    }
                    deliver(new Change(kind, List.of(changed.toString())));
                }
                if (!key.reset()) {
                    folders.remove(key);
                    if (folders.isEmpty()) {
                        close(); // the watched folder itself is gone
                        return;
                    }
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            close();
        }
    }

    private void deliver(Change change) {
        CompletableFuture<Change> f;
        synchronized (this) {
            if (closed) {
                return;
            }
            f = waiting.poll();
            if (f == null) {
                if (queued.size() < MAX_QUEUED) {
                    queued.add(change);
                } else if (!"other".equals(queued.peekLast().kind())) {
                    queued.add(new Change("other", List.of())); // the script is not keeping up: changes were lost
                }
                return;
            }
        }
        f.complete(change);
    }
}
