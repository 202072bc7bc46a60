/* 从去年的报告开始: upload last year's report (or pick a stored one), fill the form with what it states,
 * and list what could not be read. Everything shown is set as text, never parsed as HTML. */
"use strict";

(() => {
  const box = document.getElementById("prefill");
  if (!box || !window.drafterForm) return;
  const fileInput = document.getElementById("prefill-file");
  const sourceSelect = document.getElementById("prefill-source");
  const unreadEl = document.getElementById("prefill-unread");
  const button = document.getElementById("btn-prefill");

  const csrfToken = () => {
    const match = document.cookie.match(/(?:^|;\s*)drafter_csrf=([^;]+)/);
    return match ? match[1] : "";
  };

  function option(value, text) {
    const node = document.createElement("option");
    node.value = value;
    node.textContent = text;
    return node;
  }

  async function loadSources() {
    const unit = window.drafterForm.unit();
    const query = unit ? `?unit=${encodeURIComponent(unit)}` : "";
    let rows = [];
    try {
      const response = await fetch(`/api/prefill/sources${query}`);
      rows = response.ok ? await response.json() : [];
    } catch (error) {
      rows = [];
    }
    const first = rows.length ? "（选择一篇）" : unit ? "（语料库中没有本单位的报告）" : "（请先填写单位名称）";
    sourceSelect.replaceChildren(option("", first));
    for (const row of rows) {
      const year = row.year ? `${row.year}年 ` : "";
      sourceSelect.append(option(row.id, `${year}${row.title}${row.own ? "（本单位）" : ""}`));
    }
  }

  function showUnread(title, unread) {
    const head = document.createElement("p");
    head.textContent = unread.length
      ? `已从《${title}》预填。以下内容没有读出，请对照原文手工填写：`
      : `已从《${title}》预填，全部读出。请在“本期数值”中填入今年的数字。`;
    const list = document.createElement("ul");
    for (const item of unread) {
      const li = document.createElement("li");
      li.textContent = item;
      list.append(li);
    }
    unreadEl.replaceChildren(head, list);
    unreadEl.hidden = false;
  }

  function showProblem(text) {
    unreadEl.replaceChildren(document.createTextNode(text));
    unreadEl.hidden = false;
  }

  async function prefill() {
    const file = fileInput.files && fileInput.files[0];
    const docId = sourceSelect.value;
    if (!file && !docId) {
      showProblem("请先选择去年的报告文件，或从语料库中选一篇。");
      return;
    }
    button.disabled = true;
    let response = null;
    try {
      if (file) {
        const body = new FormData();
        body.append("file", file);
        const unit = window.drafterForm.unit();
        if (unit) body.append("unit", unit);
        const headers = { "X-CSRF-Token": csrfToken() };
        response = await fetch("/api/prefill", { method: "POST", body, headers });
      } else {
        response = await fetch(`/api/prefill/${encodeURIComponent(docId)}`);
      }
    } catch (error) {
      response = null;
    } finally {
      button.disabled = false;
    }
    if (!response || !response.ok) {
      let message = "未能读取去年的报告（服务器没有响应）。";
      if (response) {
        const body = await response.json().catch(() => ({}));
        const detail = Array.isArray(body.detail) ? body.detail : [];
        message = `未能读取去年的报告：${detail.map((d) => d.msg).join("；") || response.status}`;
      }
      showProblem(message);
      return;
    }
    const result = await response.json();
    fileInput.value = "";
    window.drafterForm.fill(result.form, `已从《${result.source.title}》预填表单。`);
    showUnread(result.source.title, result.unread);
    loadSources();
  }

  button.addEventListener("click", prefill);
  document.getElementById("f-unit").addEventListener("change", loadSources);
  loadSources();
})();
