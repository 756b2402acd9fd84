import { createWindow } from "runtime:window";
import { broadcast, onEvent, onChannel, sendToWindow } from "runtime:ipc";

// Track all window IDs
const windows = new Set<string>();

onEvent((event) => {
  windows.add(event.windowId);

  // Broadcast state changes to all windows
  if (event.channel === "state-change") {
    broadcast(
      Array.from(windows),
      "state-update",
      event.payload
    );
  }
});

// Not part of the pattern: forget closed windows (registered after onEvent, so it runs after it),
// and greet each page so that it knows it is tracked.
onChannel("close", (_, windowId) => {
  windows.delete(windowId);
});
onChannel("hello", async (_, windowId) => {
  await sendToWindow(windowId, "welcome", { windowId });
});

await createWindow({ id: "left", title: "Left", x: 40, y: 40 });
await createWindow({ id: "right", title: "Right", x: 500, y: 40 });
