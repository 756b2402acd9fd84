// runtime:net: Forge's helpers (fetch with the whole body as text, fetchBytes, fetchJson, postJson), on
// the standard fetch of 075-fetch.js, so that they share its permission checks, redirects and errors.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

/** Forge's response shape: the head, headers as a plain object, and the body as read by `read`. */
async function netRequest(url, opts, read) {
  opts = opts == null ? {} : opts;
  const response = await fetch(url, { method: opts.method, headers: opts.headers, body: opts.body, signal: opts.signal });
  const headers = {};
  for (const [name, value] of response.headers) headers[name] = value;
  return {
    ok: response.ok,
    status: response.status,
    statusText: response.statusText,
    headers,
    body: await read(response),
  };
}

runtimeModules.net = Object.freeze({
  fetch: (url, opts = {}) => netRequest(url, opts, (r) => r.text()),
  fetchBytes: (url, opts = {}) => netRequest(url, opts, (r) => r.bytes()),
  async fetchJson(url, opts = {}) {
    opts = opts == null ? {} : opts;
    const response = await netRequest(url, { ...opts, headers: { Accept: "application/json", ...opts.headers } }, (r) => r.text());
    if (!response.ok) throw new Error("HTTP error " + response.status + ": " + response.statusText);
    return JSON.parse(response.body);
  },
  postJson(url, data, opts = {}) {
    opts = opts == null ? {} : opts;
    return netRequest(url, {
      ...opts,
      method: "POST",
      headers: { "Content-Type": "application/json", ...opts.headers },
      body: JSON.stringify(data),
    }, (r) => r.text());
  },
});
