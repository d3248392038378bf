// Marks the present moment on the timeline and keeps it there; the rest is server-rendered.
(function () {
  "use strict";
  const timeline = document.getElementById("timeline");
  if (!timeline) return;
  const start = Date.parse(timeline.dataset.start);
  const end = Date.parse(timeline.dataset.end);
  const now = timeline.querySelector(".tl-now");
  const firstTrack = timeline.querySelector(".tl-track");
  function place() {
    const t = Date.now();
    if (!now || !firstTrack || t < start || t > end) { if (now) now.hidden = true; return; }
    const share = (t - start) / (end - start);
    const left = firstTrack.offsetLeft + share * firstTrack.offsetWidth;
    now.style.left = left + "px";
    now.title = "now";
    now.hidden = false;
  }
  place();
  window.addEventListener("resize", place);
  setInterval(place, 60000);
})();
