// Notes: Markdown notes kept as files in the app's data folder.
// runtime:fs reads and writes them (and watches the folder, so a note edited elsewhere shows up),
// runtime:storage remembers which note was open, runtime:log keeps a record of saves.
import { createWindow } from "runtime:window";
import { broadcast, handle, IpcError, onChannel } from "runtime:ipc";
import { mkdir, readDir, readTextFile, remove, stat, watch, writeTextFile } from "runtime:fs";
import { get, set } from "runtime:storage";
import { getPath } from "runtime:app";
import { infoLog } from "runtime:log";

const folder = getPath("appData") + "/notes";
await mkdir(folder, { recursive: true });

/** A note's file name: a plain name ending in .md. (The manifest would refuse anything outside the folder anyway.) */
function file(name: unknown): string {
  if (typeof name !== "string" || !/^[\w][\w .-]{0,99}\.md$/.test(name)) {
    throw new IpcError("BAD_NAME", "A note name is letters, digits, spaces, '.', '-' or '_', ending in .md");
  }
  return folder + "/" + name;
}

handle("notes:list", async () => {
  const notes = [];
  for (const entry of await readDir(folder)) {
    if (entry.isFile && entry.name.endsWith(".md")) {
      const s = await stat(folder + "/" + entry.name);
      notes.push({ name: entry.name, size: s.size, modified: s.mtime });
    }
  }
  return notes;
});

handle("notes:open", async ({ name }: { name: string }) => {
  const text = await readTextFile(file(name));
  await set("lastNote", name);
  return { name, text };
});

handle("notes:save", async ({ name, text }: { name: string; text: string }) => {
  await writeTextFile(file(name), text);
  await set("lastNote", name);
  infoLog("saved", { name, chars: text.length });
  return { saved: name };
});

handle("notes:delete", async ({ name }: { name: string }) => {
  await remove(file(name));
  if ((await get("lastNote")) === name) await set("lastNote", null);
  return { deleted: name };
});

handle("notes:last", async () => get<string>("lastNote"));

await createWindow({ id: "main", title: "Notes" });

// Changes in the folder, from this app or another program: the page refreshes its list.
const watcher = await watch(folder, { recursive: false });
(async () => {
  for await (const change of watcher) {
    // The window may be closing: a change it misses then does not matter.
    await broadcast(["main"], "notes:changed", { kind: change.kind }).catch(() => {});
  }
})();

onChannel("close", () => watcher.close());
