import "./noop.js";
const data = await (await fetch("await-fetch.json")).json();
window.fetched = data;
