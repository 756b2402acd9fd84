package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.window.RealWindowExtension;
import dev.kiln.window.XInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * runtime:window's dialog, menu and tray from a TypeScript app ({@code ./kiln run} on the dialogs
 * fixture, kiln-cli/src/test/fixtures/dialogs), driven by real keys and clicks through xdotool with
 * openbox for focus. It runs on the test's own display (not a private Xvfb), where xdotool reaches
 * the app's windows. The app prints {@code result <name> <JSON>} lines.
 */
@Tag("e2e")
@Timeout(300)
class DialogsE2ETest {
    private static final String APP = "kiln-cli/src/test/fixtures/dialogs";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Where the menu bar's menus and their first items are, from the window's top-left corner (JavaFX's default skin). */
    static final int BAR_Y = 12;
    static final int FIRST_ITEM_Y = 40;
    static final int ITEM_HEIGHT = 25;

    @TempDir
    Path dir;

    @Test
    void dialogsMenusAndTrayFromTypeScript() throws Exception {
        try (XInput input = XInput.start()) {
            KilnProcess.drive(KilnProcess.runOnThisDisplay(APP), "dialogs-e2e", kiln -> {
                try {
                    steps(kiln, input);
                } catch (Exception | AssertionError e) {
                    RealWindowExtension.saveScreenshots("DialogsE2ETest-screen"); // the native dialogs too
                    throw e;
                }
            });
        }
    }

    /**
     * examples/text-editor: typing marks the text unsaved, Quit then asks (Escape keeps the text, Enter
     * lets it go); Ctrl+S with no file yet goes through the real save dialog and writes the file there
     * (the dialog's pick is the permission: the app's manifest has no [permissions.fs]), a second
     * Ctrl+S writes it again without asking; File > Open with the mouse reads a file the test wrote into
     * the page. Keeps the screenshot (target/screenshots/text-editor.png) that the README shows
     * (docs/screenshots/text-editor.png).
     */
    @Test
    void textEditorExample() throws Exception {
        try (XInput input = XInput.start()) {
            KilnProcess.drive(KilnProcess.runOnThisDisplay("examples/text-editor"), "text-editor", kiln -> {
                try {
                    textEditor(kiln, input);
                } catch (Exception | AssertionError e) {
                    RealWindowExtension.saveScreenshots("DialogsE2ETest-text-editor");
                    throw e;
                }
            });
        }
    }

    /** Opens a menu of the bar with the mouse and clicks its item at {@code itemY}. */
    private static void chooseFromBar(XInput input, String xWindow, int menuX, int itemY) throws Exception {
        input.clickIn(xWindow, menuX, BAR_Y);
        Thread.sleep(1000); // the menu drops down (slowly on a busy machine)
        input.clickIn(xWindow, menuX + 28, itemY);
    }

    private void textEditor(KilnProcess kiln, XInput input) throws Exception {
        ObjectMapper json = new ObjectMapper();
        kiln.command("wait-ready main 60000");
        String xWindow = input.awaitWindow("Untitled — Text editor", 30);
        input.resize(xWindow, 640, 480);
        input.activate(xWindow);
        input.clickIn(xWindow, 300, 200);
        input.type("Shopping: eggs, flour, butter");
        kiln.awaitEval("main", "document.getElementById('status').textContent", "\"Edited\"", WAIT);
        input.awaitWindow("• Untitled — Text editor", 30);

        input.key("ctrl+q");
        input.activate(input.awaitWindow("Unsaved changes", 30));
        input.key("Escape"); // Cancel: the text stays
        input.activate(xWindow);
        kiln.awaitEval("main", "document.getElementById('text').value", "\"Shopping: eggs, flour, butter\"", WAIT);

        // Save with no file yet: the save dialog, then the text on disk
        Path target = dir.resolve("shopping.txt");
        input.key("ctrl+s");
        input.activate(input.awaitWindow("Save the text as", 30));
        input.key("ctrl+a");
        input.type(target.toString());
        input.submit("Save the text as");
        kiln.awaitEval("main", "document.getElementById('status').textContent", "\"Saved\"", WAIT);
        assertThat(Files.readString(target)).isEqualTo("Shopping: eggs, flour, butter");
        input.awaitWindow("shopping.txt — Text editor", 30);

        // Save again: the file this run saved to is written without a dialog
        input.activate(xWindow);
        input.clickIn(xWindow, 300, 200); // below the one line: the caret goes to its end
        input.key("End");
        input.type(", milk");
        kiln.awaitEval("main", "document.getElementById('status').textContent", "\"Edited\"", WAIT);
        input.awaitWindow("• shopping.txt — Text editor", 30);
        input.key("ctrl+s");
        kiln.awaitEval("main", "document.getElementById('status').textContent", "\"Saved\"", WAIT);
        assertThat(Files.readString(target)).isEqualTo("Shopping: eggs, flour, butter, milk");

        // File > Open… (second item) with the mouse: a file no manifest pattern covers, read into the page
        String letter = "Dear Ada,\nthe kiln is hot.\n";
        Path letterFile = Files.writeString(dir.resolve("letter.txt"), letter);
        chooseFromBar(input, xWindow, 22, FIRST_ITEM_Y + ITEM_HEIGHT);
        input.activate(input.awaitWindow("Open a text file", 30));
        input.key("ctrl+l");
        input.type(letterFile.toString());
        input.submit("Open a text file");
        kiln.awaitEval("main", "document.getElementById('text').value", json.writeValueAsString(letter), WAIT);
        kiln.awaitEval("main", "document.getElementById('status').textContent", "\"Opened\"", WAIT);
        input.awaitWindow("letter.txt — Text editor", 30);
        kiln.screenshot("main", "text-editor");

        input.activate(xWindow);
        input.clickIn(xWindow, 300, 200);
        input.type("P.S. ");
        kiln.awaitEval("main", "document.getElementById('status').textContent", "\"Edited\"", WAIT);
        input.key("ctrl+q");
        input.activate(input.awaitWindow("Unsaved changes", 30));
        input.key("Return"); // OK: discard and quit
        assertThat(kiln.awaitExit(WAIT)).isZero();
        assertThat(Files.readString(letterFile)).isEqualTo(letter);
    }

    private void steps(KilnProcess kiln, XInput input) throws Exception {
        kiln.command("wait-ready main 60000");
        assertThat(kiln.result("ready", WAIT).asBoolean()).isTrue();
        JsonNode tray = kiln.result("tray", WAIT);
        assertThat(tray.get("code").intValue()).isEqualTo(7011);
        assertThat(tray.get("message").asText()).startsWith("[7011] This desktop has no system tray");
        assertThat(kiln.result("bad-option", WAIT).toString())
                .isEqualTo("{\"code\":7000,\"message\":\"[7000] dialog.open(): multiple must be true or false, got \\\"yes\\\"\"}");
        assertThat(kiln.result("bad-menu", WAIT).get("message").asText())
                .isEqualTo("[7000] The app menu's top-level item 'Loose item' needs a submenu: the top level of a menu bar holds menus");
        assertThat(kiln.result("bad-window", WAIT).toString())
                .isEqualTo("{\"code\":7002,\"message\":\"[7002] Window not found: nope\"}");

        String xWindow = input.awaitWindow("Dialogs E2E", 30);
        input.resize(xWindow, 600, 400);
        input.activate(xWindow);

        // File > Open… with the mouse, then the path typed into the system's picker
        Path note = Files.writeString(dir.resolve("note.txt"), "hello");
        kiln.command("eval main window.runtime.send('start-in', " + new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(dir.toString()) + "), 1");
        chooseFromBar(input, xWindow, 22, FIRST_ITEM_Y);
        assertThat(kiln.result("click-1", WAIT).toString())
                .isEqualTo("{\"menuId\":\"app\",\"itemId\":\"open\",\"label\":\"Open…\",\"windowId\":\"main\"}");
        input.activate(input.awaitWindow("E2E open", 30));
        input.key("ctrl+l");
        input.type(note.toString());
        input.submit("E2E open");
        assertThat(kiln.result("open", WAIT).toString()).isEqualTo("[\"" + note + "\"]");

        // Save As… by its accelerator, typed into the page's text area: a new path
        input.activate(xWindow);
        input.clickIn(xWindow, 200, 150);
        input.key("ctrl+shift+s");
        kiln.result("click-2", WAIT);
        input.activate(input.awaitWindow("E2E save", 30));
        input.key("ctrl+a");
        Path saved = dir.resolve("saved.txt");
        input.type(saved.toString());
        input.submit("E2E save");
        assertThat(kiln.result("save", WAIT).asText()).isEqualTo(saved.toString());

        // File > Confirm… (third item) with the mouse; Escape is Cancel, Enter is OK
        input.activate(xWindow);
        chooseFromBar(input, xWindow, 22, FIRST_ITEM_Y + 2 * ITEM_HEIGHT);
        assertThat(kiln.result("click-3", WAIT).get("itemId").asText()).isEqualTo("confirm");
        input.activate(input.awaitWindow("E2E confirm", 30));
        input.key("Escape");
        assertThat(kiln.result("confirm-3", WAIT).asBoolean()).isFalse();

        // a disabled item's accelerator does nothing; a checkbox's toggles it
        input.activate(xWindow);
        input.key("ctrl+p");
        input.key("ctrl+shift+w");
        assertThat(kiln.result("click-4", WAIT).toString())
                .isEqualTo("{\"menuId\":\"app\",\"itemId\":\"wrap\",\"label\":\"Word wrap\",\"windowId\":\"main\",\"checked\":true}");

        // a context menu at the pointer, its first item clicked
        input.moveIn(xWindow, 300, 200);
        input.key("ctrl+k");
        kiln.result("click-5", WAIT);
        Thread.sleep(1000); // the menu appears at the pointer
        input.clickIn(xWindow, 330, 200 + 14);
        assertThat(kiln.result("context", WAIT).asText()).isEqualTo("copy");
        assertThat(kiln.result("click-6", WAIT).toString())
                .isEqualTo("{\"menuId\":\"context\",\"itemId\":\"copy\",\"label\":\"Copy\",\"windowId\":\"main\"}");

        // the events() loop saw every click, in order, as the onMenu listener did
        assertThat(kiln.result("events-6", WAIT).toString())
                .isEqualTo("[\"open\",\"save\",\"confirm\",\"wrap=true\",\"context\",\"copy\"]");
        assertThat(kiln.outContains("result click-7")).as("the disabled Print was never chosen").isFalse();

        // Quit by accelerator closes the window; the app ends with 0
        input.activate(xWindow);
        input.key("ctrl+q");
        assertThat(kiln.awaitExit(WAIT)).isZero();
    }
}
