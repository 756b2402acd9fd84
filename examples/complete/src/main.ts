import { createWindow } from "runtime:window";
import { sendToWindow, onChannel } from "runtime:ipc";

// Create the main window
const win = await createWindow({
  title: "My App",
  width: 800,
  height: 600,
});

// Listen for button clicks from the renderer
onChannel("button-click", async (payload, windowId) => {
  const { buttonId } = payload as { buttonId: string };
  console.log(`Button ${buttonId} clicked in ${windowId}`);

  // Send response back to the window
  await sendToWindow(windowId, "button-response", {
    success: true,
    message: `Processed ${buttonId}`,
  });
});

// Listen for window close
onChannel("close", async (_, windowId) => {
  console.log(`Window ${windowId} requested close`);
});
