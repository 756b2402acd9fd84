import { label } from "./util.mjs";

window.runtime.send("kind", label("module"));
const lazy = await import("./lazy.mjs");
window.runtime.send("kind", lazy.name);
