package dev.kiln.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Watches a folder tree (an app's {@code src/}) and reports each burst of changes once: an editor's
 * save is often several events (write, rename, attribute change), so a change is reported only
 * after the tree has been quiet for the debounce time. Folders created later are watched too.
 *
 * <p>Threading: one daemon thread of its own watches and calls {@code onChange} (which must not
 * block for long); {@link #close()} may be called from any thread.
 */
final class SourceWatcher implements AutoCloseable {
    private final Path root;
    private final Duration debounce;
    private final Consumer<Path> onChange;
    private final WatchService service;

    /** @param onChange called with the first changed file of each burst, relative to {@code root} */
    SourceWatcher(Path root, Duration debounce, Consumer<Path> onChange) {
        this.root = root;
        this.debounce = debounce;
        this.onChange = onChange;
        try {
            this.service = FileSystems.getDefault().newWatchService();
            registerTree(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot watch " + root, e);
        }
        Thread t = new Thread(this::watch, "kiln-watch");
        t.setDaemon(true);
        t.start();
    }

    private void registerTree(Path dir) throws IOException {
        try (Stream<Path> dirs = Files.walk(dir)) {
            for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                d.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = service.take();
                Path first = drain(key);
                // Quiet for the debounce time: the burst is over.
                WatchKey more;
                while ((more = service.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    Path p = drain(more);
                    first = first != null ? first : p;
                }
                if (first != null) { // a key can be signalled with no events left: nothing changed
                    onChange.accept(first);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: stop watching
        }
    }

    /**
     * The key's events; watches new folders; the first changed path relative to the root, "." when
     * events were lost (overflow), or null when the key held no event.
     */
    private Path drain(WatchKey key) {
        Path dir = (Path) key.watchable();
        Path first = null;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW && first == null) {
                first = Path.of("."); // events were lost: something changed, somewhere
            } else if (event.context() instanceof Path name) {
                Path changed = dir.resolve(name);
                if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(changed)) {
                    try {
                        registerTree(changed);
                    } catch (IOException e) {
                        System.err.println("warning: cannot watch " + changed + ": " + e.getMessage());
                    }
                }
                if (first == null || first.equals(Path.of("."))) {
                    first = root.relativize(changed);
                }
            }
        }
        key.reset();
        return first;
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
