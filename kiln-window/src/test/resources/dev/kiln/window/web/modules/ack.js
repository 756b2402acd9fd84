// Answers every "early" message; loaded as a module by the module pages.
window.runtime.on("early", (p) => window.runtime.send("early-ack", p));
