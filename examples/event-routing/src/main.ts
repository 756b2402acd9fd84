import { createWindow } from "runtime:window";
import { onChannel, sendToWindow } from "runtime:ipc";

await createWindow({ id: "main", title: "Event Routing" });

// Route different channels to different handlers
onChannel("auth", handleAuth);
onChannel("data", handleData);
onChannel("settings", handleSettings);

const settings: Record<string, unknown> = { theme: "light" };

function handleAuth(payload: unknown, windowId: string) {
  // Handle authentication events
  const { user } = payload as { user: string };
  console.log(`auth: ${user} signed in from ${windowId}`);
  void sendToWindow(windowId, "auth-result", { user, token: `token-${user.length}` });
}

function handleData(payload: unknown, windowId: string) {
  // Handle data events
  const { items } = payload as { items: number[] };
  const total = items.reduce((sum, n) => sum + n, 0);
  console.log(`data: ${items.length} items from ${windowId}`);
  void sendToWindow(windowId, "data-result", { total });
}

function handleSettings(payload: unknown, windowId: string) {
  // Handle settings events
  Object.assign(settings, payload as Record<string, unknown>);
  console.log(`settings: now`, settings);
  void sendToWindow(windowId, "settings-result", settings);
}
