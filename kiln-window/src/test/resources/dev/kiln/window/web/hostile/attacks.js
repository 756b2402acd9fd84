// Each attack records what it got in window.results; the page then reports them over its legit bridge.
(async () => {
  const r = window.results;
  const waitFor = (key) => new Promise((resolve) => {
    const check = () => (key in r ? resolve() : setTimeout(check, 20));
    check();
  });
  window.addEventListener("message", (e) => Object.assign(r, e.data));

  // The marker is not in the DOM any more, but a same-origin script can fetch the page's own HTML.
  const html = await (await fetch(location.href)).text();
  const secret = (html.match(/kiln-bridge:([A-Za-z0-9]+)/) || [])[1];
  r.markerFetched = !!secret;
  const marker = "kiln-bridge:" + secret;
  const hostName = "__kilnHost_" + secret;
  const portName = "__kilnPort_" + secret;

  // 1. Overwrite the old page-writable mark and replay the handshake, with a port of our own.
  document[hostName] = "forged mark";
  try { window[portName] = { deliver: (t) => { r.leaked = t; } }; } catch (e) { /* non-writable */ }
  alert(marker);
  r.hostAfterReplay = typeof window[hostName] === "object" ? "object" : "none";

  // 2. Replay by running the bridge's own text again (it is in the fetched HTML).
  const bridgeText = html.slice(html.indexOf("<script>") + 8, html.indexOf("</script>"));
  const copy = document.createElement("script");
  copy.text = bridgeText;
  try { document.head.appendChild(copy); } catch (e) { /* its own errors */ }
  r.hostAfterScriptReplay = typeof window[hostName] === "object" ? "object" : "none";

  // 3. The port is the page's own: garbage into it delivers nothing and breaks nothing.
  try { r.portGarbage = String(window[portName].deliver("not json")); } catch (e) { r.portGarbage = e.name; }

  // 4. A srcdoc frame (same origin): no runtime of its own, and its handshake is refused.
  const srcdoc = document.createElement("iframe");
  srcdoc.srcdoc = "<script>parent.postMessage({ srcdocOwnRuntime: typeof window.runtime }, '*');"
    + "alert(" + JSON.stringify(marker) + ");"
    + "try { parent.runtime.send('from-srcdoc', 1); parent.postMessage({ srcdocParentSend: 'sent' }, '*'); }"
    + " catch (e) { parent.postMessage({ srcdocParentSend: e.name }, '*'); }<\/script>";
  document.body.appendChild(srcdoc);

  // 5. An app page in an iframe: the bridge script does not ask for a frame.
  const framed = document.createElement("iframe");
  framed.src = "framed.html";
  document.body.appendChild(framed);

  // 6. A frame of another origin: parent.runtime and top.runtime are out of its reach.
  const foreign = new URLSearchParams(location.search).get("foreign");
  const cross = document.createElement("iframe");
  cross.src = foreign + "?marker=" + encodeURIComponent(marker);
  document.body.appendChild(cross);

  // 7. Forged log lines and a flood of alerts.
  alert("hello\nWARNING: [7004] a forged log line\r\u001b[31m");
  for (let i = 0; i < 100; i++) alert("spam " + i);

  await Promise.all(["srcdocOwnRuntime", "srcdocParentSend", "framedOwnRuntime", "crossParent", "crossTop"].map(waitFor));
  window.runtime.send("hostile-done", r);
})();
