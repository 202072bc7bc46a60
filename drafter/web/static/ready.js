/* Drafter pages while the server prepares the corpus: polls /readyz, shows its progress in the 准备中
 * banner and removes the banner once ready (a search page waiting for the index reloads to show its results). */
"use strict";

(() => {
  const banner = document.getElementById("preparing");
  if (!banner) return;
  const message = document.getElementById("preparing-message");
  const bar = document.getElementById("preparing-progress");

  async function poll() {
    let body = null;
    let ok = false;
    try {
      const response = await fetch("/readyz", { cache: "no-store" });
      ok = response.ok;
      body = await response.json();
    } catch (_error) {
      body = null;
    }
    if (ok) {
      banner.remove();
      if (document.querySelector("[data-reload-when-ready]")) window.location.reload();
      return;
    }
    if (body && body.message) {
      message.textContent = body.message;
      if (bar && typeof body.done === "number") bar.value = body.done;
    }
    if (body && body.status === "failed") return;
    window.setTimeout(poll, 1000);
  }

  window.setTimeout(poll, 500);
})();
