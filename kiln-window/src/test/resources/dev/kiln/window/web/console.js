// Console calls at known lines, for PageConsoleTest and the kiln-cli end-to-end test.
window.logAll = function () {
  console.debug("d", 1);
  console.log("l", { a: 1 });
  console.info("i");
  console.warn("w");
  console.error("e", new Error("x"));
};
window.forge = function () { console.log("real\n[page main-window] error: forged\u001b[31m\u202e"); };
window.flood = function (n) { for (var i = 0; i < n; i++) console.log("flood " + i); };
window.throwLater = function () { setTimeout(function () { throw new Error("boom"); }, 0); };
window.rejectLater = function () { setTimeout(function () { Promise.reject(new Error("nope")); }, 0); };
window.longText = function (n) { console.log("x".repeat(n)); };
