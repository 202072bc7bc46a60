/* Drafter sign-in page: posts name and password with this page's token, then opens the form. */
"use strict";

(() => {
  const form = document.getElementById("login-form");
  if (!form) return;
  const statusEl = document.getElementById("login-status");
  const csrfToken = () => {
    const match = document.cookie.match(/(?:^|;\s*)drafter_csrf=([^;]+)/);
    return match ? match[1] : "";
  };
  const say = (text) => {
    const p = document.createElement("p");
    p.textContent = text;
    statusEl.replaceChildren(p);
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = JSON.stringify({
      name: document.getElementById("login-name").value.trim(),
      password: document.getElementById("login-password").value,
    });
    let response;
    try {
      response = await fetch("/api/login", {
        method: "POST",
        body,
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
      });
    } catch (error) {
      say("无法连接服务器，请稍后再试。");
      return;
    }
    if (response.ok) {
      window.location.assign("/");
      return;
    }
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    say((data.detail || []).map((d) => d.msg).join("；") || "登录未成功，请重试。");
  });
})();
