// Notes: the app menu and native dialogs of runtime:window. The page holds the text and says when it
// changes ("edited"); the app keeps the note's path and whether it has unsaved changes, and tells the
// page what to show ("note").
//
// Reading and writing the files themselves needs runtime:fs, which Kiln does not have yet: until then
// Open and Save As choose the file and the note shows which one, without its contents.
import { createWindow, dialog, menu } from "runtime:window";
import { onChannel, sendToWindow } from "runtime:ipc";

const win = await createWindow({ id: "main", title: "Notes" });

let path: string | null = null;
let unsaved = false;

async function show(status: string) {
  win.setTitle(`${unsaved ? "• " : ""}${path ?? "Untitled"} — Notes`);
  await sendToWindow("main", "note", { path, unsaved, status });
}

/** Whether what is unsaved may go: asks only when there is something to lose. */
async function mayDiscard(): Promise<boolean> {
  return !unsaved || await dialog.confirm("The note has unsaved changes. Discard them?", "Unsaved changes");
}

const textFiles = [{ name: "Text", extensions: ["txt", "md"] }, { name: "All files", extensions: ["*"] }];

await menu.setAppMenu([
  { label: "File", submenu: [
    { id: "new", label: "New", accelerator: "CmdOrCtrl+N" },
    { id: "open", label: "Open…", accelerator: "CmdOrCtrl+O" },
    { id: "save-as", label: "Save As…", accelerator: "CmdOrCtrl+Shift+S" },
    { type: "separator", label: "" },
    { id: "quit", label: "Quit", accelerator: "CmdOrCtrl+Q" },
  ] },
  { label: "View", submenu: [{ id: "wrap", label: "Word wrap", checked: true }] },
]);

onChannel("edited", async () => {
  if (!unsaved) {
    unsaved = true;
    await show("Edited");
  }
});

menu.onMenu(async (e) => {
  switch (e.itemId) {
    case "new":
      if (await mayDiscard()) {
        path = null;
        unsaved = false;
        await sendToWindow("main", "note", { clear: true });
        await show("New note");
      }
      break;
    case "open": {
      if (!(await mayDiscard())) break;
      const picked = await dialog.open({ title: "Open a note", filters: textFiles });
      if (picked) {
        path = picked[0];
        unsaved = false;
        await show("Opened (reading its text needs runtime:fs)");
      }
      break;
    }
    case "save-as": {
      const chosen = await dialog.save({ title: "Save the note as", defaultPath: path ?? "note.txt", filters: textFiles });
      if (chosen) {
        path = chosen;
        await show("Chose where to save (writing needs runtime:fs)");
      }
      break;
    }
    case "wrap":
      await sendToWindow("main", "note", { wrap: e.checked });
      break;
    case "quit":
      if (await mayDiscard()) win.close();
      break;
  }
});

await show("New note");
