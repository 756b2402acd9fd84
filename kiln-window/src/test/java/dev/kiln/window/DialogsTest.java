package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native dialogs in a real window, answered with real key presses and mouse clicks (xdotool, with
 * openbox for focus): the system's file pickers, and message dialogs.
 */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DialogsTest {
    private static final List<FxStall> stalls = new CopyOnWriteArrayList<>();
    private static XInput input;
    private static Desktop desktop;
    private static AppWindow window;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        input = XInput.start();
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false)
                .withUnresponsiveAfter(Duration.ofSeconds(2)));
        desktop.onUnresponsive(stalls::add);
        window = Pages.open(desktop, WindowOptions.builder().id("dialogs").title("Dialogs test").url("app://echo.html")
                .size(500, 400).position(40, 40).build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (desktop != null) {
            desktop.close();
        }
        if (input != null) {
            input.close();
        }
    }

    /** A test that failed half-way may leave its dialog open, which would hold the next ones back. */
    @AfterEach
    void closeLeftoverDialog() throws Exception {
        input.key("Escape");
    }

    private static <T> T answered(CompletableFuture<T> dialog) throws Exception {
        return dialog.get(30, TimeUnit.SECONDS);
    }

    /** Waits for the dialog window titled so and gives it the keyboard. */
    private static void focusDialog(String title) throws Exception {
        input.activate(input.awaitWindow(title, 30));
    }

    @Test
    void openReturnsThePathTypedIntoTheSystemPicker() throws Exception {
        Path note = Files.writeString(dir.resolve("note.txt"), "hello");
        Files.writeString(dir.resolve("other.md"), "not this one");
        CompletableFuture<Optional<List<Path>>> picked = desktop.dialogs().open(FileDialogOptions.builder()
                .title("Open a note").defaultPath(dir.toString())
                .filters(List.of(new FileFilter("Text", List.of("txt")))).windowId(window.id()).build());
        focusDialog("Open a note");
        input.key("ctrl+l");
        input.type(note.toString());
        input.key("Return");
        assertThat(answered(picked)).contains(List.of(note));
    }

    @Test
    void openWithDirectoryReturnsTheFolderTypedIntoThePicker() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("notes"));
        CompletableFuture<Optional<List<Path>>> picked = desktop.dialogs().open(FileDialogOptions.builder()
                .title("Pick a folder").directory(true).defaultPath(dir.toString()).build());
        focusDialog("Pick a folder");
        input.key("ctrl+l");
        input.type(folder + "/");
        input.submit("Pick a folder");
        assertThat(answered(picked)).contains(List.of(folder));
    }

    @Test
    void aCancelledPickerIsEmptyAndOneLeftOpenIsNotAStuckFxThread() throws Exception {
        CompletableFuture<Optional<List<Path>>> picked = desktop.dialogs().open(FileDialogOptions.builder()
                .title("Cancel me").build());
        focusDialog("Cancel me");
        stalls.clear(); // building the first WebView may have taken longer than 2 s
        // The picker runs a nested event loop on the FX thread: the thread still runs other work...
        for (int i = 0; i < 5; i++) {
            assertThat(Fx.call(() -> "answered").get(5, TimeUnit.SECONDS)).isEqualTo("answered");
            Thread.sleep(1000);
        }
        // ...so the watchdog (2 s here) does not take a picker open for 5 s for a stuck thread
        assertThat(stalls).isEmpty();
        assertThat(FxWatchdog.unresponsive()).isEmpty();
        assertThat(picked).isNotDone();
        input.key("Escape");
        assertThat(answered(picked)).isEmpty();
    }

    @Test
    void saveReturnsTheNewPathTypedIntoTheNameField() throws Exception {
        Path target = dir.resolve("saved.txt");
        CompletableFuture<Optional<Path>> chosen = desktop.dialogs().save(FileDialogOptions.builder()
                .title("Save the note").defaultPath(dir.resolve("untitled.txt").toString()).build());
        focusDialog("Save the note");
        input.key("ctrl+a");
        input.type(target.toString());
        input.key("Return");
        assertThat(answered(chosen)).contains(target);
        assertThat(target).doesNotExist(); // the app writes it, not the dialog
    }

    @Test
    void confirmIsTrueForEnterAndFalseForEscapeOrTheCancelButton() throws Exception {
        CompletableFuture<Boolean> yes = desktop.dialogs().confirm("Discard the changes?", "Discard 1");
        focusDialog("Discard 1");
        assertModalTo(window, "Discard 1");
        input.key("Return");
        assertThat(answered(yes)).isTrue();

        CompletableFuture<Boolean> no = desktop.dialogs().confirm("Discard the changes?", "Discard 2");
        focusDialog("Discard 2");
        input.key("Escape");
        assertThat(answered(no)).isFalse();

        CompletableFuture<Boolean> cancel = desktop.dialogs().confirm("Discard the changes?", "Discard 3");
        focusDialog("Discard 3");
        input.key("Tab", "space"); // from OK (the default) to Cancel, then press it
        assertThat(answered(cancel)).isFalse();
    }

    @Test
    void messageGivesTheIndexOfTheButtonClickedWithTheMouse() throws Exception {
        CompletableFuture<Integer> choice = desktop.dialogs().message(new MessageDialogOptions("Unsaved changes",
                "Save the note first?", MessageDialogOptions.Kind.WARNING, List.of("Save", "Don't Save", "Cancel"), window.id()));
        focusDialog("Unsaved changes");
        Point2D dontSave = FxNodes.center(FxNodes.labelled("Don't Save"));
        Point2D save = FxNodes.center(FxNodes.labelled("Save"));
        Point2D cancel = FxNodes.center(FxNodes.labelled("Cancel"));
        assertThat(save.getX()).as("the buttons keep the caller's order").isLessThan(dontSave.getX());
        assertThat(dontSave.getX()).isLessThan(cancel.getX());
        input.click(dontSave.getX(), dontSave.getY());
        assertThat(answered(choice)).isEqualTo(1);

        CompletableFuture<Integer> alert = desktop.dialogs().warning("Disk almost full", "Careful");
        focusDialog("Careful");
        input.key("Escape"); // a one-button dialog closes with its only button
        assertThat(answered(alert)).isZero();
    }

    @Test
    void anUnknownWindowIs7002AndBadOptionsFailAtOnce() {
        assertThatThrownBy(() -> desktop.dialogs().open(FileDialogOptions.builder().windowId("nope").build())
                .get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(KilnException.class)
                .hasMessage("[7002] Window not found: nope")
                .satisfies(e -> assertThat(((KilnException) e).code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND));
        assertThatThrownBy(() -> new FileFilter("Text", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs at least one extension");
        assertThatThrownBy(() -> new MessageDialogOptions("t", null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a message");
    }

    private static void assertModalTo(AppWindow owner, String dialogTitle) throws Exception {
        String found = Fx.call(() -> {
            for (Window w : Window.getWindows()) {
                if (w instanceof Stage s && dialogTitle.equals(s.getTitle())) {
                    return s.getModality() + " " + (s.getOwner() == ((WebViewWindow) owner).stage());
                }
            }
            return "none";
        }).get(10, TimeUnit.SECONDS);
        assertThat(found).isEqualTo(Modality.WINDOW_MODAL + " true");
    }
}
