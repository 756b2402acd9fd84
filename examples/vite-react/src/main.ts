import { createWindow } from "runtime:window";
import { onChannel, sendToWindow } from "runtime:ipc";

// The page sends "ping" when its button is clicked; answer each with a "pong".
onChannel("ping", async (payload, windowId) => {
  const { count } = payload as { count: number };
  console.log(`ping ${count} from ${windowId}`);
  await sendToWindow(windowId, "pong", { count, message: `Pong #${count} from the host` });
});

const win = await createWindow({ id: "main", title: "Vite + React" });

// No need to wait for React to mount: Kiln holds the message until the page listens for it.
await sendToWindow(win.id, "welcome", { text: "Hello from src/main.ts" });
