package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/notes through the real launcher and a real window: a note typed and saved lands in the
 * app data folder, a file written there by another program appears in the list (runtime:fs watch), a
 * name that leaves the folder is refused, and the next launch reopens the last note (runtime:storage).
 */
@Tag("e2e")
@Timeout(300)
class NotesExampleE2ETest {
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final Duration ROUND_TRIP = Duration.ofSeconds(20);

    @TempDir
    Path data;

    @Test
    void savesWatchesAndReopens() throws Exception {
        Map<String, String> env = Map.of("KILN_DATA_HOME", data.toString());
        Path notes = data.resolve("dev.kiln.examples.notes/notes");
        String list = "Array.from(document.querySelectorAll('#list li'), li => li.dataset.name).join(',')";
        try (KilnProcess kiln = KilnProcess.run("examples/notes", env)) {
            kiln.command("wait-ready main 60000");
            kiln.command("eval main (document.getElementById('name').value = 'first.md', document.getElementById('text').value = '# First\\nhello', 1)");
            kiln.command("click main #save");
            kiln.awaitEval("main", "document.getElementById('status').textContent", "\"Saved first.md\"", ROUND_TRIP);
            assertThat(notes.resolve("first.md")).hasContent("# First\nhello");
            kiln.awaitEval("main", list, "\"first.md\"", ROUND_TRIP);

            Files.writeString(notes.resolve("from-elsewhere.md"), "written by another program");
            kiln.awaitEval("main", list, "\"first.md,from-elsewhere.md\"", ROUND_TRIP);

            kiln.command("eval main (document.getElementById('name').value = '../escape.md', 1)");
            kiln.command("click main #save");
            kiln.awaitEval("main", "document.getElementById('status').textContent.startsWith('error BAD_NAME')", "true", ROUND_TRIP);
            assertThat(data.resolve("dev.kiln.examples.notes/escape.md")).doesNotExist();

            kiln.command("close main");
            assertThat(kiln.awaitExit(EXIT)).as("err: %s", kiln.err).isZero();
            assertThat(kiln.err).anyMatch(l -> l.endsWith("INFO  saved {\"name\":\"first.md\",\"chars\":13}"));
        }
        try (KilnProcess kiln = KilnProcess.run("examples/notes", env)) {
            kiln.command("wait-ready main 60000");
            kiln.awaitEval("main", "document.getElementById('text').value", "\"# First\\nhello\"", ROUND_TRIP);
            kiln.screenshot("main", "notes-reopened");
            kiln.command("close main");
            assertThat(kiln.awaitExit(EXIT)).as("err: %s", kiln.err).isZero();
        }
    }
}
