import { createWindow } from "runtime:window";
import { sendToWindow, onChannel } from "runtime:ipc";
import { fetchFromDatabase } from "./database.ts";

await createWindow({ id: "main", title: "Request-Response" });

// Deno: Handle requests and send responses
onChannel("fetch-data", async (payload, windowId) => {
  const { requestId, query } = payload as { requestId: string; query: string };

  // Process the request
  const result = await fetchFromDatabase(query);

  // Send response with matching requestId
  await sendToWindow(windowId, "fetch-response", {
    requestId,
    data: result,
  });
});
