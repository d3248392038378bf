// Instant offers on the request form: after each change, ask the server for the earliest slots.
(function () {
  "use strict";
  const form = document.getElementById("request-form");
  const target = document.getElementById("offers");
  if (!form || !target) return;
  let timer = null, sequence = 0;

  async function refresh() {
    const mine = ++sequence;
    const data = new FormData(form);
    if (!data.get("expected_arrival") || !data.getAll("agencies").length) return;
    target.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.dataset.preview, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": data.get("csrf_token") || "" },
      });
      const html = await response.text();
      if (mine === sequence) target.innerHTML = html;
    } catch (error) {
      if (mine === sequence) target.textContent = "Offers could not be fetched; saving the request still works.";
    } finally {
      target.removeAttribute("aria-busy");
    }
  }

  function later() { clearTimeout(timer); timer = setTimeout(refresh, 350); }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  refresh();
})();
