/* Drafter search page: uploads past reports into the corpus and shows what was added.
 * File names and reasons come back from the server and are only ever set as text. */
"use strict";

(() => {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const statusEl = document.getElementById("upload-status");
  const input = document.getElementById("upload-files");
  const visibility = document.getElementById("upload-visibility");

  const csrfToken = () => {
    const match = document.cookie.match(/(?:^|;\s*)drafter_csrf=([^;]+)/);
    return match ? match[1] : "";
  };

  const el = (tag, text) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = String(text);
    return node;
  };

  function reportTable(report) {
    const table = el("table");
    table.className = "report-table";
    const rows = [
      ["上传文件", report.files],
      ["新增文档", report.documents_added],
      ["已在语料库中", report.documents_seen],
      ["新增段落", report.passages_added],
      ["未能读取", report.failures.length],
    ];
    for (const [name, value] of rows) {
      const tr = el("tr");
      tr.append(el("th", name), el("td", value));
      table.append(tr);
    }
    return table;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!input.files || input.files.length === 0) {
      statusEl.replaceChildren(el("p", "请先选择要上传的文件。"));
      return;
    }
    const body = new FormData();
    for (const file of input.files) body.append("files", file, file.name);
    if (visibility) body.append("visibility", visibility.value);
    statusEl.replaceChildren(el("p", `正在上传并读取 ${input.files.length} 个文件…`));
    let response = null;
    try {
      const headers = { "X-CSRF-Token": csrfToken() };
      response = await fetch("/api/upload", { method: "POST", body, headers });
    } catch (error) {
      statusEl.replaceChildren(el("p", "无法连接服务器，请稍后再试。"));
      return;
    }
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    const parts = [];
    if (response.ok && data.held) {
      parts.push(el("p", `上传完成：${data.held_files.length} 个文件已交管理员审核（批次 ${data.held}），通过后即可检索。`));
      parts.push(reportTable(data));
      input.value = "";
    } else if (response.ok) {
      parts.push(el("p", `上传完成：新增 ${data.documents_added} 篇文档，现在即可检索。`));
      parts.push(reportTable(data));
      input.value = "";
    } else {
      const list = el("ul");
      for (const item of data.detail || []) list.append(el("li", item.msg));
      if (!list.children.length) list.append(el("li", `服务器未能处理（状态 ${response.status}）。`));
      const note = el("div");
      note.className = "notice notice-error";
      note.append(el("p", "有文件未能加入语料库："), list);
      parts.push(note);
      if (data.report) parts.push(reportTable(data.report));
    }
    statusEl.replaceChildren(...parts);
  });
})();
