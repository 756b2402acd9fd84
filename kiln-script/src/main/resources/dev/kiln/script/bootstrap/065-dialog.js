// runtime:window's dialog namespace: native open, save and message dialogs (Forge's names and results).
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

function dialogOptions(options, api) {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw kilnError(@E_CHANNEL_SEND@, "[@E_CHANNEL_SEND@] " + api + "() takes an options object");
  }
  return JSON.stringify(options);
}

/** A dialog op started with the options' JSON; the promise settles when the user answers. */
function showDialog(opName, options, api, map) {
  return javaPromise((id) => {
    const json = dialogOptions(options, api);
    flushSends();
    ops[opName](id, json);
  }, map);
}

function messageDialog(message, title, kind, buttons) {
  return showDialog("@OP_DIALOG_MESSAGE@", { title, message: String(message), kind, buttons }, "dialog.message");
}

const dialog = Object.freeze({
  /** The paths picked, or null when cancelled. */
  open(options = {}) { return showDialog("@OP_DIALOG_OPEN@", options, "dialog.open"); },
  /** The path chosen, or null when cancelled. */
  save(options = {}) { return showDialog("@OP_DIALOG_SAVE@", options, "dialog.save"); },
  /** The index of the button chosen. */
  message(options) {
    return showDialog("@OP_DIALOG_MESSAGE@", typeof options === "string" ? { message: options } : options, "dialog.message");
  },
  alert(message, title = "Alert") { return messageDialog(message, title, "info", ["OK"]); },
  confirm(message, title = "Confirm") {
    return messageDialog(message, title, "info", ["Cancel", "OK"]).then((index) => index === 1);
  },
  error(message, title = "Error") { return messageDialog(message, title, "error", ["OK"]); },
  warning(message, title = "Warning") { return messageDialog(message, title, "warning", ["OK"]); },
});
