import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Nothing Kiln-specific: the default base "/" and outDir work as they are.
export default defineConfig({
  plugins: [react()],
});
