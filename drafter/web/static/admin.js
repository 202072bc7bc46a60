/* Drafter administration page: review held uploads, remove documents, read the change log.
 * Everything the server returns is set as text only. */
"use strict";

(() => {
  const refreshButton = document.getElementById("admin-refresh");
  if (!refreshButton) return;
  const pendingEl = document.getElementById("admin-pending");
  const statusEl = document.getElementById("admin-status");
  const logEl = document.getElementById("admin-log");

  const el = (tag, text) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = String(text);
    return node;
  };
  const csrfToken = () => {
    const match = document.cookie.match(/(?:^|;\s*)drafter_csrf=([^;]+)/);
    return match ? match[1] : "";
  };

  async function call(method, url) {
    const headers = { "X-CSRF-Token": csrfToken() };
    let response;
    try {
      response = await fetch(url, { method, headers });
    } catch (error) {
      return { ok: false, data: { detail: [{ msg: "无法连接服务器，请稍后再试。" }] } };
    }
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    return { ok: response.ok, data };
  }

  const problems = (data) => (data.detail || []).map((d) => d.msg).join("；") || "操作未完成";

  async function refresh() {
    const pending = await call("GET", "/api/admin/pending");
    if (!pending.ok) {
      pendingEl.replaceChildren(el("p", problems(pending.data)));
      return;
    }
    const list = el("ul");
    for (const batch of pending.data) {
      const item = el("li", `${batch.id}  ${batch.added}  ${batch.actor}@${batch.address}：${batch.files.join("、")} `);
      for (const [label, action] of [["通过", "accept"], ["拒绝", "reject"]]) {
        const button = el("button", label);
        button.type = "button";
        button.className = "button";
        button.addEventListener("click", async () => {
          const result = await call("POST", `/api/admin/pending/${encodeURIComponent(batch.id)}/${action}`);
          statusEl.replaceChildren(el("p", result.ok ? `批次 ${batch.id} 已${label}。` : problems(result.data)));
          refresh();
        });
        item.append(button);
      }
      list.append(item);
    }
    pendingEl.replaceChildren(pending.data.length ? list : el("p", "没有待审核的上传。"));
    const log = await call("GET", "/api/admin/log?limit=50");
    const rows = el("ul");
    for (const change of log.ok ? log.data : []) {
      rows.append(el("li", `${change.at}  ${change.actor}@${change.address}  ${change.action_name}  ${change.target}  ${change.detail}`));
    }
    logEl.replaceChildren(rows);
  }

  refreshButton.addEventListener("click", refresh);
  refresh();
  document.getElementById("admin-remove-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const id = document.getElementById("admin-doc-id").value.trim();
    const result = await call("DELETE", `/api/admin/documents/${encodeURIComponent(id)}`);
    statusEl.replaceChildren(el("p", result.ok ? `已删除文档 ${result.data.removed}。` : problems(result.data)));
    if (result.ok) refresh();
  });
})();
