/* Drafter page header: the 退出 button ends this browser's session (with this page's token). */
"use strict";

(() => {
  const button = document.getElementById("logout");
  if (!button) return;
  button.addEventListener("click", async () => {
    const match = document.cookie.match(/(?:^|;\s*)drafter_csrf=([^;]+)/);
    try {
      await fetch("/api/logout", { method: "POST", headers: { "X-CSRF-Token": match ? match[1] : "" } });
    } finally {
      window.location.assign("/login");
    }
  });
})();
