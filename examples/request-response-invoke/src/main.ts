import { createWindow } from "runtime:window";
import { handle, invokeWindow, IpcError, onChannel } from "runtime:ipc";
import { fetchFromDatabase, FIRST_LETTERS } from "./database.ts";

interface SearchRequest {
  query: string;
  slow: boolean;
}

// Page -> host. The page awaits window.runtime.invoke("fetch-data", ...) and gets what this handler
// returns. Kiln pairs each answer with its call, so there is no requestId and no response channel
// (compare examples/request-response, which does that pairing by hand).
handle("fetch-data", async ({ query, slow }: SearchRequest, ctx) => {
  console.log(`search "${query}"${slow ? " (slow)" : ""} from ${ctx.windowId}`);

  // If the page stops waiting (its Cancel button, or its timeout), Kiln aborts ctx.signal with the
  // reason (7008 or 7007), and the database stops instead of working for nobody.
  ctx.signal.addEventListener("abort", () => {
    console.log(`search "${query}" stopped: ${ctx.signal.reason.message}`);
  });
  const fruits = await fetchFromDatabase(query, { slow, signal: ctx.signal });

  // A typed error: the page's invoke rejects with this code, message and data, as they are here.
  if (fruits.length === 0) {
    throw new IpcError("NOT_FOUND", `No fruit starts with "${query}"`, { query, firstLetters: FIRST_LETTERS });
  }
  return fruits;
});

await createWindow({ id: "main", title: "Request-Response (invoke)" });

// Host -> page. The page owns what the user is looking at (the query, the selected fruit); the host
// decides when to save it. So the host asks, here once a second as an autosave would, and logs what
// changed. The timeout keeps a busy page from piling up calls: that save is skipped, the next one tries again.
let saved = "";
const autosave = setInterval(async () => {
  try {
    const search = await invokeWindow("main", "current-search", undefined, { timeout: 1000 });
    const text = JSON.stringify(search);
    if (text !== saved) {
      saved = text;
      console.log("autosave: " + text);
    }
  } catch (e) {
    console.log("autosave skipped: " + (e as IpcError).message);
  }
}, 1000);

// A pending timer keeps the app running: stop saving when the window closes, so that the app ends.
onChannel("close", () => clearInterval(autosave));
