import { useEffect, useState } from "react";
import logo from "./kiln-logo.png";
import "./App.css";

// localStorage persists from one launch of the app to the next.
function countLaunch() {
  const launches = Number(localStorage.getItem("launches") ?? "0") + 1;
  localStorage.setItem("launches", String(launches));
  return launches;
}

export default function App() {
  const [welcome, setWelcome] = useState("…");
  const [pong, setPong] = useState("Not pinged yet");
  const [count, setCount] = useState(0);
  const [tips, setTips] = useState([]);
  const [launches, setLaunches] = useState(0);

  useEffect(() => {
    // window.runtime is there before any script runs; subscribe when the component mounts.
    const offWelcome = window.runtime.on("welcome", (p) => setWelcome(p.text));
    const offPong = window.runtime.on("pong", (p) => setPong(p.message));
    setLaunches(countLaunch());
    fetch("/data.json").then((r) => r.json()).then((d) => setTips(d.tips));
    return () => {
      offWelcome();
      offPong();
    };
  }, []);

  const ping = () => {
    const next = count + 1;
    setCount(next);
    window.runtime.send("ping", { count: next });
  };

  return (
    <main className="app">
      <header>
        <img src={logo} alt="" width="48" height="48" />
        <h1>Vite + React on Kiln</h1>
      </header>
      <p id="welcome" className="welcome">{welcome}</p>
      <button id="ping" onClick={ping}>Ping the host</button>
      <p id="pong" className="pong">{pong}</p>
      <p className="launches">Launched <span id="launches">{launches}</span> time(s) on this machine.</p>
      <h2>Next steps</h2>
      <ul id="tips">
        {tips.map((tip) => <li key={tip}>{tip}</li>)}
      </ul>
    </main>
  );
}
