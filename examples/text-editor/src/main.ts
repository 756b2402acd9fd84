// Text editor: the app menu and native dialogs of runtime:window, with runtime:fs reading and writing
// the files the user picks. The page holds the text and says when it changes ("edited"); the app
// keeps the file's path and whether it has unsaved changes, asks the page for its text when saving
// ("text"), and tells the page what to show ("note").
//
// The manifest has no [permissions.fs]: a file picked in the open dialog may be read, and one picked
// in the save dialog written, for the rest of the run (see docs/reference/permissions.md). So Save
// writes without asking only to a file this run saved to; a file that was only opened is saved
// through the save dialog, which starts at it.
import { createWindow, dialog, menu } from "runtime:window";
import { invokeWindow, onChannel, sendToWindow } from "runtime:ipc";
import { readTextFile, writeTextFile } from "runtime:fs";

const win = await createWindow({ id: "main", title: "Text editor" });

let path: string | null = null;
let writable = false; // whether the save dialog gave this path: then Save writes to it directly
let unsaved = false;

function fileName(p: string): string {
  return p.split(/[\\/]/).pop() || p;
}

async function show(status: string) {
  win.setTitle(`${unsaved ? "• " : ""}${path === null ? "Untitled" : fileName(path)} — Text editor`);
  await sendToWindow("main", "note", { path, unsaved, status });
}

/** Whether what is unsaved may go: asks only when there is something to lose. */
async function mayDiscard(): Promise<boolean> {
  return !unsaved || await dialog.confirm("The text has unsaved changes. Discard them?", "Unsaved changes");
}

/** Reports a failed read or write in the footer and in a dialog, keeping the text as it is. */
async function failed(what: string, e: unknown) {
  const message = e instanceof Error ? e.message : String(e);
  await show(`${what} failed`);
  await dialog.message({ title: `${what} failed`, message, kind: "error" });
}

const textFiles = [{ name: "Text", extensions: ["txt", "md"] }, { name: "All files", extensions: ["*"] }];

async function saveAs() {
  const chosen = await dialog.save({ title: "Save the text as", defaultPath: path ?? "untitled.txt", filters: textFiles });
  if (chosen) {
    path = chosen;
    writable = true;
    await write();
  }
}

async function write() {
  try {
    await writeTextFile(path!, await invokeWindow("main", "text"));
    unsaved = false;
    await show("Saved");
  } catch (e) {
    await failed("Saving", e);
  }
}

await menu.setAppMenu([
  { label: "File", submenu: [
    { id: "new", label: "New", accelerator: "CmdOrCtrl+N" },
    { id: "open", label: "Open…", accelerator: "CmdOrCtrl+O" },
    { id: "save", label: "Save", accelerator: "CmdOrCtrl+S" },
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
        writable = false;
        unsaved = false;
        await sendToWindow("main", "note", { text: "" });
        await show("New text");
      }
      break;
    case "open": {
      if (!(await mayDiscard())) break;
      const picked = await dialog.open({ title: "Open a text file", filters: textFiles });
      if (picked) {
        try {
          const text = await readTextFile(picked[0]);
          path = picked[0];
          writable = false;
          unsaved = false;
          await sendToWindow("main", "note", { text });
          await show("Opened");
        } catch (e) {
          await failed("Opening", e);
        }
      }
      break;
    }
    case "save":
      if (path !== null && writable) await write();
      else await saveAs();
      break;
    case "save-as":
      await saveAs();
      break;
    case "wrap":
      await sendToWindow("main", "note", { wrap: e.checked });
      break;
    case "quit":
      if (await mayDiscard()) win.close();
      break;
  }
});

await show("New text");
