window.runtime.send("kind", "defer");
