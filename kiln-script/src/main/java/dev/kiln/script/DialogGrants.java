package dev.kiln.script;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The paths the user picked in a native dialog during one run: runtime:fs may read what was picked
 * in {@code dialog.open} and write what was picked in {@code dialog.save}, beyond
 * {@code [permissions.fs]}, because choosing it in the system's own picker is the user's consent.
 *
 * <p>A grant is kept as the real path of the pick at the moment it was made ({@link PathScope#realPath}),
 * and checked paths are compared as real paths too: a link planted later in place of the picked file
 * leads elsewhere and is not covered. A picked folder covers itself and everything below it. Grants
 * live as long as the run that made them (see {@link Permissions#forRun}).
 *
 * <p>Threading: any thread (grants are added as dialogs resolve, read by the fs workers).
 */
final class DialogGrants {
    /** A granted real path; {@code tree}: the folder and everything below it. */
    private record Grant(Path real, boolean tree) {
        boolean covers(Path path) {
            return tree ? path.startsWith(real) : path.equals(real);
        }
    }

    private final List<Grant> read = new CopyOnWriteArrayList<>();
    private final List<Grant> write = new CopyOnWriteArrayList<>();

    /** Lets runtime:fs read the real path {@code real} (and below it, if {@code tree}). */
    void grantRead(Path real, boolean tree) {
        read.add(new Grant(real, tree));
    }

    /** Lets runtime:fs write the real path {@code real}. */
    void grantWrite(Path real) {
        write.add(new Grant(real, false));
    }

    /** Whether a dialog granted the real path {@code real} for writing ({@code forWrite}) or for reading. */
    boolean covers(Path real, boolean forWrite) {
        for (Grant g : forWrite ? write : read) {
            if (g.covers(real)) {
                return true;
            }
        }
        return false;
    }
}
