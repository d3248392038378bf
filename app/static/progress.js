// Live progress of a plan run: polls the job's JSON and draws objective and bound over time.
(function () {
  "use strict";
  const box = document.getElementById("job");
  const svg = document.getElementById("progress-chart");
  if (!box || !svg) return;
  const NS = "http://www.w3.org/2000/svg";
  const W = 640, H = 260, PAD = { left: 56, right: 12, top: 12, bottom: 28 };
  let state = JSON.parse(document.getElementById("job-state").textContent);

  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function draw(points) {
    svg.replaceChildren();
    const usable = points.filter((p) => typeof p.seconds === "number" && (typeof p.objective === "number" || typeof p.bound === "number"));
    if (!usable.length) {
      svg.appendChild(el("text", { x: W / 2, y: H / 2, "text-anchor": "middle", fill: "#5d6675" }, state.finished ? "No progress was reported." : "Waiting for the first solution…"));
      return;
    }
    const values = usable.flatMap((p) => [p.objective, p.bound]).filter((v) => typeof v === "number");
    let low = Math.min(...values), high = Math.max(...values);
    if (low === high) { low -= 1; high += 1; }
    const maxT = Math.max(...usable.map((p) => p.seconds), 1);
    const x = (t) => PAD.left + (t / maxT) * (W - PAD.left - PAD.right);
    const y = (v) => H - PAD.bottom - ((v - low) / (high - low)) * (H - PAD.top - PAD.bottom);
    svg.appendChild(el("line", { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom, stroke: "#d9dee6" }));
    svg.appendChild(el("line", { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom, stroke: "#d9dee6" }));
    for (const v of [low, (low + high) / 2, high]) {
      svg.appendChild(el("text", { x: PAD.left - 6, y: y(v) + 4, "text-anchor": "end", "font-size": 11, fill: "#5d6675" }, Number(v.toPrecision(4)).toString()));
    }
    svg.appendChild(el("text", { x: W - PAD.right, y: H - 8, "text-anchor": "end", "font-size": 11, fill: "#5d6675" }, maxT.toFixed(1) + " s"));
    for (const [key, colour] of [["objective", "#0b5cad"], ["bound", "#b0470f"]]) {
      const series = usable.filter((p) => typeof p[key] === "number");
      if (!series.length) continue;
      // Each value holds until the next report: draw steps, not slopes.
      let d = "";
      series.forEach((p, i) => {
        d += (i === 0 ? "M" : "H") + x(p.seconds).toFixed(1) + (i === 0 ? "," + y(p[key]).toFixed(1) : "") + " V" + y(p[key]).toFixed(1) + " ";
      });
      svg.appendChild(el("path", { d: d, fill: "none", stroke: colour, "stroke-width": 2, class: "series-" + key }));
    }
    const stages = [...new Set(usable.map((p) => p.stage).filter(Boolean))];
    if (stages.length) svg.appendChild(el("text", { x: PAD.left + 6, y: PAD.top + 12, "font-size": 11, fill: "#5d6675" }, "stages: " + stages.join(" → ")));
  }

  function show(next) {
    state = next;
    document.getElementById("job-status").textContent = state.status;
    document.getElementById("job-message").textContent = state.message || "";
    document.getElementById("progress-points").textContent = state.progress.length;
    box.dataset.status = state.status;
    draw(state.progress);
    if (state.plan) {
      const result = document.getElementById("job-result");
      result.replaceChildren();
      const p = document.createElement("p");
      p.append("Plan ");
      const link = document.createElement("a");
      link.id = "plan-link";
      link.href = state.plan.url;
      link.textContent = "v" + state.plan.version;
      p.append(link, ` (${state.plan.status}, solver ${state.plan.solver_status}).`);
      result.append(p);
      result.hidden = false;
      const body = document.querySelector("#job-kpis tbody");
      body.replaceChildren();
      for (const [name, value] of Object.entries(state.plan.kpis || {})) {
        const row = document.createElement("tr");
        const th = document.createElement("th"); th.textContent = name.replaceAll("_", " ");
        const td = document.createElement("td"); td.className = "num"; td.textContent = value;
        row.append(th, td); body.append(row);
      }
      document.getElementById("job-kpis").hidden = false;
    }
  }

  async function poll() {
    try {
      const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) show(await response.json());
    } catch (error) {
      document.getElementById("job-message").textContent = "connection lost; retrying…";
    }
    if (!state.finished) setTimeout(poll, 1000);
  }

  draw(state.progress);
  if (!state.finished) setTimeout(poll, 500);
})();
