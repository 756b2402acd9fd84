package dev.kiln.script;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A set of path patterns from the manifest ({@code [permissions.fs] read}, say), and the question
 * whether a path falls inside them.
 *
 * <p>A pattern starts with a root: {@code $APPDIR} or {@code ./} or nothing (the app folder),
 * {@code $APPDATA} (the app's data folder), {@code $HOME} or {@code ~}, {@code $TEMP}, or an
 * absolute path. The rest is a glob: {@code *} and {@code ?} stay within one name, {@code **}
 * crosses folders, {@code [abc]} and {@code {a,b}} as usual. A pattern ending in {@code /**} also
 * covers the folder itself. {@code ..} is refused in patterns.
 *
 * <p>Both sides are compared as real paths: the pattern's fixed part and the checked path are
 * resolved through every symbolic link (a link's target is followed even when it does not exist
 * yet), {@code ..} is applied after that, as the operating system does, and existing names take
 * their case on disk. So no spelling of a path (relative, {@code ..}, a link out of the scope, a
 * different case on a case-insensitive disk) reaches outside the patterns.
 *
 * <p>Immutable; any thread.
 */
final class PathScope {
    private static final int MAX_LINKS = 40;
    private static final String GLOB_CHARS = "*?[{";

    private record Entry(String text, PathMatcher matcher) {
    }

    private final List<Entry> entries;

    private PathScope(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * Compiles the patterns of one manifest list.
     *
     * @param roots the value of each {@code $ROOT} (without the {@code $}), and {@code APPDIR} for relative patterns
     * @param where the list's name in the manifest, for errors, such as {@code [permissions.fs] read}
     * @throws AppError with {@link AppError#CONFIG} for a pattern with an unknown root, {@code ..} or bad glob syntax
     */
    static PathScope compile(List<String> patterns, Map<String, Path> roots, String where) {
        List<Entry> entries = new ArrayList<>();
        for (String pattern : patterns) {
            String glob = toGlob(pattern, roots, where);
            try {
                entries.add(new Entry(pattern, FileSystems.getDefault().getPathMatcher("glob:" + glob)));
                if (glob.endsWith("/**")) {
                    String self = glob.substring(0, glob.length() - 3);
                    entries.add(new Entry(pattern, FileSystems.getDefault().getPathMatcher("glob:" + (self.isEmpty() ? "/" : self))));
                }
            } catch (IllegalArgumentException e) {
                throw AppManifest.bad(where + ": '" + pattern + "' is not a valid pattern: " + e.getMessage());
            }
        }
        return new PathScope(List.copyOf(entries));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether the real path {@code real} (from {@link #realPath}) is inside the scope. */
    boolean contains(Path real) {
        for (Entry e : entries) {
            if (e.matcher.matches(real)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The path with every symbolic link resolved and {@code ..} applied, for a path that need not
     * exist: links are followed (to their target's text when it is missing), names after the last
     * existing one are kept as given.
     *
     * @param path an absolute path
     * @throws IOException if links loop or a link cannot be read
     */
    static Path realPath(Path path) throws IOException {
        Path root = path.getRoot();
        if (root == null) {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
        Deque<String> todo = new ArrayDeque<>();
        for (Path name : path) {
            todo.addLast(name.toString());
        }
        Path current = root;
        boolean existing = true; // whether `current` exists; once a name is missing, the rest cannot be links
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.removeFirst();
            if (name.equals(".") || name.isEmpty()) {
                continue;
            }
            if (name.equals("..")) {
                current = current.getParent() == null ? current : current.getParent();
                existing = Files.exists(current, LinkOption.NOFOLLOW_LINKS);
                continue;
            }
            Path next = current.resolve(name);
            if (existing && Files.isSymbolicLink(next)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("Too many levels of symbolic links: " + path);
                }
                Path target = Files.readSymbolicLink(next);
                List<String> names = new ArrayList<>();
                for (Path n : target) {
                    names.add(n.toString());
                }
                for (int i = names.size() - 1; i >= 0; i--) {
                    todo.addFirst(names.get(i));
                }
                if (target.isAbsolute()) {
                    current = target.getRoot();
                }
                continue;
            }
            if (existing && Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                current = next.toRealPath(LinkOption.NOFOLLOW_LINKS); // the name's case on disk
            } else {
                existing = false;
                current = next;
            }
        }
        return current;
    }

    /** The manifest's pattern as a glob over real paths: its root expanded, its fixed part resolved. */
    private static String toGlob(String pattern, Map<String, Path> roots, String where) {
        String p = pattern.trim().replace('\\', '/');
        Path base;
        String rest;
        if (p.equals("~") || p.startsWith("~/")) {
            base = roots.get("HOME");
            rest = p.substring(1);
        } else if (p.startsWith("~")) {
            throw AppManifest.bad(where + ": '" + pattern + "': only ~ (your own home folder) is supported, not ~name");
        } else if (p.startsWith("$")) {
            int end = p.indexOf('/');
            String name = (end < 0 ? p : p.substring(0, end)).substring(1);
            base = roots.get(name);
            if (base == null) {
                throw AppManifest.bad(where + ": '" + pattern + "' starts with an unknown root $" + name
                        + "; the roots are " + String.join(", ", roots.keySet().stream().sorted().map(r -> "$" + r).toList())
                        + " (see docs/reference/permissions.md)");
            }
            rest = end < 0 ? "" : p.substring(end);
        } else if (isAbsolute(p)) {
            base = null;
            rest = p;
        } else {
            base = roots.get("APPDIR");
            rest = "/" + p;
        }
        List<String> names = new ArrayList<>(List.of(rest.split("/", -1)));
        if (names.contains("..")) {
            throw AppManifest.bad(where + ": '" + pattern + "' contains '..'; write the folder it means instead");
        }
        // The fixed part: the names before the first one with a glob character.
        int firstGlob = 0;
        while (firstGlob < names.size() && names.get(firstGlob).chars().noneMatch(c -> GLOB_CHARS.indexOf(c) >= 0)) {
            firstGlob++;
        }
        String fixedText = String.join("/", names.subList(0, firstGlob));
        Path fixed;
        try {
            fixed = base == null ? Path.of(fixedText.isEmpty() ? "/" : fixedText) : base.resolve(fixedText.replaceFirst("^/+", ""));
            fixed = realPath(fixed.toAbsolutePath());
        } catch (IOException | InvalidPathException e) {
            throw AppManifest.bad(where + ": '" + pattern + "': " + e.getMessage());
        }
        StringBuilder glob = new StringBuilder(escape(fixed.toString().replace(File.separatorChar, '/')));
        for (String name : names.subList(firstGlob, names.size())) {
            if (glob.isEmpty() || glob.charAt(glob.length() - 1) != '/') {
                glob.append('/');
            }
            glob.append(name);
        }
        return glob.toString();
    }

    private static boolean isAbsolute(String p) {
        return p.startsWith("/") || p.length() > 2 && Character.isLetter(p.charAt(0)) && p.charAt(1) == ':' && p.charAt(2) == '/';
    }

    private static String escape(String literal) {
        StringBuilder out = new StringBuilder(literal.length());
        for (char c : literal.toCharArray()) {
            if ("*?[]{}\\".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The patterns as written in the manifest. */
    List<String> patterns() {
        return entries.stream().map(Entry::text).distinct().toList();
    }
}
