package dev.kiln.window;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;

/**
 * A desktop's native dialogs: open and save pickers (JavaFX's {@link FileChooser} and
 * {@link DirectoryChooser}, the system's own on Linux) and message dialogs ({@link Alert}), each modal
 * to one of the desktop's windows. Get it from {@link Desktop#dialogs()}.
 *
 * <p>Dialogs are shown one at a time, in call order: one asked for while another is open waits for it.
 * A cancelled picker gives an empty {@code Optional}.
 *
 * <p>Threading: every method may be called from any thread and returns at once; the futures complete
 * on the desktop's callback executor (see {@link Desktop}), never on the FX thread. Message dialogs
 * do not block the FX thread ({@code show()}, not {@code showAndWait()}). The system's file picker
 * runs a nested event loop on the FX thread while it is open: the other windows, the FX watchdog's
 * heartbeat and Kiln's deliveries keep running inside it, so a picker left open for minutes is not a
 * stuck FX thread. The queue below is touched on the FX thread only.
 */
public final class Dialogs {
    private final Desktop desktop;
    // FX thread only
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private boolean showing;

    Dialogs(Desktop desktop) {
        this.desktop = desktop;
    }

    /**
     * Shows an open dialog: the files picked (one unless {@link FileDialogOptions#multiple()}), or a
     * folder with {@link FileDialogOptions#directory()}; empty when cancelled. Fails with code 7002 if
     * {@link FileDialogOptions#windowId()} names no open window.
     */
    public CompletableFuture<Optional<List<Path>>> open(FileDialogOptions options) {
        Objects.requireNonNull(options, "options");
        return show(options.windowId(), (owner, done) -> {
            if (options.directory()) {
                DirectoryChooser chooser = new DirectoryChooser();
                if (options.title() != null) {
                    chooser.setTitle(options.title());
                }
                startIn(options.defaultPath()).ifPresent(chooser::setInitialDirectory);
                File folder = chooser.showDialog(owner); // nested event loop: see the class comment
                done.accept(folder == null ? Optional.empty() : Optional.of(List.of(folder.toPath())));
                return;
            }
            FileChooser chooser = fileChooser(options);
            List<File> files = options.multiple() ? chooser.showOpenMultipleDialog(owner)
                    : Optional.ofNullable(chooser.showOpenDialog(owner)).map(List::of).orElse(null);
            done.accept(files == null || files.isEmpty() ? Optional.empty()
                    : Optional.of(files.stream().map(File::toPath).toList()));
        });
    }

    /** Shows a save dialog: the path the user chose (the file need not exist), or empty when cancelled. */
    public CompletableFuture<Optional<Path>> save(FileDialogOptions options) {
        Objects.requireNonNull(options, "options");
        return show(options.windowId(), (owner, done) -> {
            FileChooser chooser = fileChooser(options);
            if (options.defaultPath() != null) {
                Path p = Path.of(options.defaultPath()).toAbsolutePath();
                if (!Files.isDirectory(p) && p.getFileName() != null) {
                    chooser.setInitialFileName(p.getFileName().toString());
                }
            }
            File file = chooser.showSaveDialog(owner);
            done.accept(file == null ? Optional.empty() : Optional.of(file.toPath()));
        });
    }

    /**
     * Shows a message dialog; the index of the button chosen (see {@link MessageDialogOptions} for
     * which one Enter and Escape choose), or -1 if it closed without one (its window closed).
     */
    public CompletableFuture<Integer> message(MessageDialogOptions options) {
        Objects.requireNonNull(options, "options");
        return show(options.windowId(), (owner, done) -> {
            List<ButtonType> buttons = buttonTypes(options.buttons());
            Alert alert = new Alert(switch (options.kind()) {
                case INFO -> Alert.AlertType.INFORMATION;
                case WARNING -> Alert.AlertType.WARNING;
                case ERROR -> Alert.AlertType.ERROR;
            }, options.message(), buttons.toArray(ButtonType[]::new));
            alert.setTitle(options.title() == null ? "" : options.title());
            alert.setHeaderText(null);
            if (alert.getDialogPane().lookup(".button-bar") instanceof ButtonBar bar) {
                bar.setButtonOrder(ButtonBar.BUTTON_ORDER_NONE); // the caller's order, as the index promises
            }
            if (owner != null) {
                alert.initOwner(owner);
                alert.initModality(Modality.WINDOW_MODAL);
            }
            ButtonType enter = buttons.stream().filter(b -> b.getButtonData().isDefaultButton()).findFirst().orElse(null);
            if (enter != null) { // JavaFX focuses the first button, and Enter presses the focused one
                alert.setOnShown(e -> alert.getDialogPane().lookupButton(enter).requestFocus());
            }
            alert.setOnHidden(e -> done.accept(chosen(buttons, alert.getResult())));
            alert.show(); // not showAndWait: no nested event loop
        });
    }

    /** An information message with one OK button; resolves to 0 when dismissed. */
    public CompletableFuture<Integer> alert(String message, String title) {
        return message(MessageDialogOptions.of(message, title == null ? "Alert" : title, MessageDialogOptions.Kind.INFO, "OK"));
    }

    /** A question with Cancel and OK: true for OK (Enter), false for Cancel (Escape, or the window closing). */
    public CompletableFuture<Boolean> confirm(String message, String title) {
        return message(MessageDialogOptions.of(message, title == null ? "Confirm" : title, MessageDialogOptions.Kind.INFO,
                "Cancel", "OK")).thenApply(i -> i == 1);
    }

    /** An error message with one OK button. */
    public CompletableFuture<Integer> error(String message, String title) {
        return message(MessageDialogOptions.of(message, title == null ? "Error" : title, MessageDialogOptions.Kind.ERROR, "OK"));
    }

    /** A warning with one OK button. */
    public CompletableFuture<Integer> warning(String message, String title) {
        return message(MessageDialogOptions.of(message, title == null ? "Warning" : title, MessageDialogOptions.Kind.WARNING, "OK"));
    }

    // ---- FX thread ----

    /** A dialog: shown on the FX thread, modal to {@code owner} (null: none); calls {@code done} once when closed. */
    private interface Shown<T> {
        void show(Stage owner, Consumer<T> done);
    }

    private <T> CompletableFuture<T> show(String windowId, Shown<T> dialog) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Fx.later(() -> {
            waiting.add(() -> {
                boolean[] finished = {false};
                Consumer<T> done = value -> {
                    if (finished[0]) {
                        return;
                    }
                    finished[0] = true;
                    desktop.completions().execute(() -> result.complete(value));
                    Fx.later(this::next); // after the dialog's own handlers have run
                };
                try {
                    dialog.show(owner(desktop, windowId), done);
                } catch (RuntimeException e) {
                    finished[0] = true;
                    desktop.completions().execute(() -> result.completeExceptionally(e));
                    Fx.later(this::next);
                }
            });
            if (!showing) {
                next();
            }
        });
        return result;
    }

    private void next() {
        Runnable dialog = waiting.poll();
        showing = dialog != null;
        if (dialog != null) {
            // Not inside a runLater task: JavaFX's runLater dispatcher passes the next task only once the
            // current one returns, and a file picker returns when it closes. Posted straight to the GTK
            // loop, the picker's nested loop runs the runLater tasks (the watchdog's heartbeat, window
            // changes, repaints) while it is open.
            Fx.post(dialog);
        }
    }

    /**
     * The stage a dialog or menu belongs to: the window named, else the focused one, else the newest
     * open one, else none. FX thread.
     *
     * @throws KilnException {@link ErrorCode#WINDOW_NOT_FOUND} if {@code windowId} names no open window
     */
    static Stage owner(Desktop desktop, String windowId) {
        WebViewWindow w = window(desktop, windowId);
        return w == null ? null : w.stage();
    }

    /** As {@link #owner}, the window itself. FX thread. */
    static WebViewWindow window(Desktop desktop, String windowId) {
        if (windowId != null) {
            return desktop.window(windowId).filter(w -> !w.isClosed()).map(WebViewWindow.class::cast)
                    .orElseThrow(() -> KilnException.windowNotFound(windowId));
        }
        WebViewWindow newest = null;
        for (AppWindow w : desktop.windows()) {
            if (w.isClosed() || !(w instanceof WebViewWindow v) || v.stage() == null || !v.stage().isShowing()) {
                continue;
            }
            if (v.stage().isFocused()) {
                return v;
            }
            newest = v; // no order is kept: any open window will do
        }
        return newest;
    }

    private static FileChooser fileChooser(FileDialogOptions options) {
        FileChooser chooser = new FileChooser();
        if (options.title() != null) {
            chooser.setTitle(options.title());
        }
        for (FileFilter f : options.filters()) {
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(f.name(), f.globs()));
        }
        startIn(options.defaultPath()).ifPresent(chooser::setInitialDirectory);
        return chooser;
    }

    /** The folder a dialog starts in: the default path if a folder, else its parent if that exists. */
    private static Optional<File> startIn(String defaultPath) {
        if (defaultPath == null || defaultPath.isBlank()) {
            return Optional.empty();
        }
        Path p = Path.of(defaultPath).toAbsolutePath();
        if (Files.isDirectory(p)) {
            return Optional.of(p.toFile());
        }
        Path parent = p.getParent();
        return parent != null && Files.isDirectory(parent) ? Optional.of(parent.toFile()) : Optional.empty();
    }

    private static List<ButtonType> buttonTypes(List<String> labels) {
        int defaultButton = -1;
        for (int i = 0; i < labels.size(); i++) {
            if (!isCancel(labels.get(i))) {
                defaultButton = i;
            }
        }
        int chosenDefault = defaultButton;
        return java.util.stream.IntStream.range(0, labels.size()).mapToObj(i -> new ButtonType(labels.get(i),
                isCancel(labels.get(i)) ? ButtonBar.ButtonData.CANCEL_CLOSE
                        : i == chosenDefault ? ButtonBar.ButtonData.OK_DONE : ButtonBar.ButtonData.OTHER)).toList();
    }

    /**
     * The index of the button chosen. Escape, or the window's close button, leaves no result on a
     * one-button dialog: that is its only button, as it is for a dialog with a cancel button.
     */
    private static int chosen(List<ButtonType> buttons, ButtonType result) {
        if (result != null) {
            return buttons.indexOf(result);
        }
        for (int i = 0; i < buttons.size(); i++) {
            if (buttons.get(i).getButtonData() == ButtonBar.ButtonData.CANCEL_CLOSE) {
                return i;
            }
        }
        return buttons.size() == 1 ? 0 : -1;
    }

    private static boolean isCancel(String label) {
        String l = label.trim().toLowerCase(Locale.ROOT);
        return l.equals("cancel") || l.equals("no");
    }
}
