/* Drafter web form: rows, autosave, import/export, preview and the Word download.
 * What the writer types is only ever set as text (value / textContent), never parsed as HTML. */
"use strict";

(() => {
  const STORAGE_KEY = "drafter.form.v1";
  const PREVIEW_DELAY_MS = 1200;
  const form = document.getElementById("draft-form");
  if (!form) return;
  const statusEl = document.getElementById("form-status");
  const errorsEl = document.getElementById("form-errors");
  const previewBody = document.getElementById("preview-body");
  const previewStatus = document.getElementById("preview-status");
  const suggestions = new Map();
  let fieldCounter = 0;
  let previewTimer = 0;
  let previewSeq = 0;

  // --- small DOM helpers ---------------------------------------------------------------------------------
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };
  const announce = (text) => { statusEl.textContent = text; };
  const rowOf = (node) => node.closest("[data-row]");
  const ownerRow = (node) => (node.parentElement ? node.parentElement.closest("[data-row]") : null);
  const itemsOf = (list) => list.querySelector("[data-items]");
  const rowsOf = (list) => Array.from(itemsOf(list).children).filter((n) => n.matches("[data-row]"));
  const listsIn = (scope) => {
    const owner = scope === form ? null : scope;
    return Array.from(scope.querySelectorAll("[data-list]")).filter((l) => ownerRow(l) === owner);
  };
  const fieldsIn = (scope) => {
    const owner = scope === form ? null : scope;
    return Array.from(scope.querySelectorAll("[data-key]")).filter((f) => rowOf(f) === owner);
  };

  // --- rows ----------------------------------------------------------------------------------------------
  function labelRow(row) {
    for (const field of fieldsIn(row)) {
      fieldCounter += 1;
      field.id = `fld-${fieldCounter}`;
      const label = Array.from(row.querySelectorAll(`label[data-for="${field.dataset.key}"]`))
        .find((l) => rowOf(l) === row);
      if (label) label.htmlFor = field.id;
    }
  }

  function addRow(list, focus) {
    const max = Number(list.dataset.max || "100");
    if (rowsOf(list).length >= max) {
      announce(`最多 ${max} 项，已达上限。`);
      return null;
    }
    const template = document.getElementById(list.dataset.template);
    const row = template.content.firstElementChild.cloneNode(true);
    itemsOf(list).append(row);
    labelRow(row);
    for (const sub of listsIn(row)) addRow(sub, false);
    if (focus) {
      const first = fieldsIn(row)[0];
      if (first) first.focus();
    }
    return row;
  }

  function removeRow(row) {
    const list = row.closest("[data-list]");
    row.remove();
    if (rowsOf(list).length === 0) addRow(list, false);
    const buttons = list.querySelectorAll("[data-add]");
    if (buttons.length) buttons[buttons.length - 1].focus();
  }

  // --- reading the form ----------------------------------------------------------------------------------
  const FULL_WIDTH = { "０": "0", "１": "1", "２": "2", "３": "3", "４": "4", "５": "5", "６": "6", "７": "7",
    "８": "8", "９": "9", "．": ".", "－": "-" };

  function numeric(text) {
    const plain = text.replace(/[０-９．－]/g, (c) => FULL_WIDTH[c]).replace(/[,，]/g, "");
    return /^-?\d+(\.\d+)?$/.test(plain) ? Number(plain) : text;
  }

  /* The rows of a list. forApi: trimmed values, numbers as numbers, empty rows and fields left out, and
   * every field of a kept row marked with its path (figures[2].value) so server errors find their field. */
  function readList(list, path, forApi) {
    const out = [];
    for (const row of rowsOf(list)) {
      const item = readRow(row, list, `${path}[${out.length}]`, forApi);
      if (item === null) {
        for (const f of row.querySelectorAll("[data-path]")) f.removeAttribute("data-path");
      } else {
        out.push(item);
      }
    }
    return out;
  }

  function readRow(row, list, path, forApi) {
    const fields = fieldsIn(row);
    if (list.hasAttribute("data-scalar")) {
      const field = fields[0];
      const value = forApi ? field.value.trim() : field.value;
      if (forApi) field.dataset.path = path;
      return forApi && value === "" ? null : value;
    }
    const item = {};
    let filled = false;
    for (const field of fields) {
      const key = field.dataset.key;
      if (forApi) field.dataset.path = `${path}.${key}`;
      const raw = forApi ? field.value.trim() : field.value;
      if (raw !== "") filled = true;
      if (forApi && raw === "") continue;
      item[key] = forApi && field.hasAttribute("data-number") ? numeric(raw) : raw;
    }
    for (const sub of listsIn(row)) {
      const name = sub.dataset.list;
      const values = readList(sub, `${path}.${name}`, forApi);
      if (values.length) filled = true;
      if (!forApi || values.length) item[name] = values;
    }
    return forApi && !filled ? null : item;
  }

  /* Fields the page has no inputs for (overview, sections) are kept as imported, so export gives them back. */
  const PASSED_THROUGH = ["overview", "sections"];
  let passedThrough = {};

  function readForm(forApi) {
    const data = {};
    for (const key of PASSED_THROUGH) if (passedThrough[key] !== undefined) data[key] = passedThrough[key];
    for (const field of fieldsIn(form)) {
      const key = field.dataset.key;
      const raw = forApi ? field.value.trim() : field.value;
      if (forApi && raw === "") continue;
      data[key] = forApi && key === "year" && /^\d+$/.test(raw) ? Number(raw) : raw;
    }
    for (const list of listsIn(form)) data[list.dataset.list] = readList(list, list.dataset.list, forApi);
    return data;
  }

  // --- filling the form ----------------------------------------------------------------------------------
  const shown = (value) => (value === null || value === undefined ? "" : String(value));

  function fillList(list, items) {
    itemsOf(list).replaceChildren();
    const values = Array.isArray(items) ? items : [];
    for (const item of values) {
      const row = addRow(list, false);
      if (!row) break;
      if (list.hasAttribute("data-scalar")) {
        fieldsIn(row)[0].value = shown(item);
        continue;
      }
      const source = item && typeof item === "object" ? item : {};
      for (const field of fieldsIn(row)) field.value = shown(source[field.dataset.key]);
      for (const sub of listsIn(row)) fillList(sub, source[sub.dataset.list]);
    }
    if (values.length === 0) addRow(list, false);
  }

  function fillForm(data) {
    const source = data && typeof data === "object" ? data : {};
    passedThrough = {};
    for (const key of PASSED_THROUGH) if (source[key] !== undefined) passedThrough[key] = source[key];
    for (const field of fieldsIn(form)) {
      const value = shown(source[field.dataset.key]);
      if (field.tagName === "SELECT") {
        if (Array.from(field.options).some((o) => o.value === value)) field.value = value;
      } else {
        field.value = value;
      }
    }
    for (const list of listsIn(form)) fillList(list, source[list.dataset.list]);
    refreshThemes();
  }

  // --- keeping what was typed ----------------------------------------------------------------------------
  function save() {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(readForm(false)));
    } catch (error) {
      announce("浏览器不允许保存表单（可能是隐私模式）；请用“导出表单”保存。");
    }
  }

  function restore() {
    let saved = null;
    try {
      saved = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
    } catch (error) {
      saved = null;
    }
    const unitField = document.getElementById("f-unit");
    const defaultUnit = unitField.dataset.defaultUnit || "";
    fillForm(saved || { year: String(new Date().getFullYear()), period: "annual", unit: defaultUnit });
    if (!unitField.value && defaultUnit) unitField.value = defaultUnit;  // a signed-in writer's own unit
    if (saved) announce("已恢复上次填写的内容。");
  }

  // --- errors beside their fields ------------------------------------------------------------------------
  function clearFieldError(field) {
    const note = document.getElementById(`${field.id}-error`);
    if (note) note.remove();
    field.removeAttribute("aria-invalid");
    field.removeAttribute("aria-describedby");
  }

  function clearErrors() {
    for (const field of form.querySelectorAll("[aria-invalid]")) clearFieldError(field);
    errorsEl.replaceChildren();
    errorsEl.hidden = true;
  }

  function findField(path) {
    if (!path) return null;
    const exact = form.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (exact) return exact;
    return Array.from(form.querySelectorAll("[data-path]"))
      .find((f) => f.dataset.path.startsWith(`${path}.`) || f.dataset.path.startsWith(`${path}[`)) || null;
  }

  function placeError(field, message) {
    const id = `${field.id}-error`;
    let note = document.getElementById(id);
    if (note) {
      note.textContent = `${note.textContent}；${message}`;
    } else {
      note = el("p", "field-error", message);
      note.id = id;
      field.insertAdjacentElement("afterend", note);
    }
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", id);
  }

  function showErrors(detail, focus) {
    clearErrors();
    const loose = [];
    let first = null;
    for (const item of detail) {
      const field = findField(item.path);
      if (field) {
        placeError(field, item.msg);
        first = first || field;
      } else {
        loose.push(item);
      }
    }
    if (loose.length) {
      const list = el("ul");
      for (const item of loose) list.append(el("li", "", item.path ? `${item.path}：${item.msg}` : item.msg));
      errorsEl.replaceChildren(el("p", "", "请修改以下问题："), list);
      errorsEl.hidden = false;
    }
    announce(`有 ${detail.length} 处需要修改${first ? "，已在对应栏目旁标出" : ""}；已填写的内容都保留着。`);
    if (focus && first) {
      first.focus();
      first.scrollIntoView({ block: "center" });
    }
  }

  async function errorDetail(response) {
    try {
      const body = await response.json();
      if (Array.isArray(body.detail)) return body.detail;
    } catch (error) {
      // not JSON: fall through to the generic message
    }
    return [{ path: "", msg: `服务器未能处理（状态 ${response.status}），请稍后再试。` }];
  }

  async function post(url, body, contentType) {
    try {
      return await fetch(url, { method: "POST", headers: { "Content-Type": contentType }, body });
    } catch (error) {
      return null;
    }
  }

  const OFFLINE = [{ path: "", msg: "无法连接服务器，请检查网络或联系管理员；已填写的内容都保留着。" }];

  // --- preview -------------------------------------------------------------------------------------------
  function schedulePreview() {
    window.clearTimeout(previewTimer);
    previewTimer = window.setTimeout(() => runPreview(false), PREVIEW_DELAY_MS);
  }

  async function runPreview(explicit) {
    window.clearTimeout(previewTimer);
    const data = readForm(true);
    if (!explicit && (!data.unit || !data.year)) return;
    const seq = ++previewSeq;
    previewStatus.textContent = "正在生成预览…";
    const response = await post("/api/preview", JSON.stringify(data), "application/json");
    if (seq !== previewSeq) return;
    if (response && response.ok) {
      if (explicit || form.querySelector("[aria-invalid]")) clearErrors();
      renderPreview(await response.json());
      previewStatus.textContent = `预览已更新（${new Date().toLocaleTimeString("zh-CN")}）。`;
      return;
    }
    const detail = response ? await errorDetail(response) : OFFLINE;
    previewStatus.textContent = `表单还有 ${detail.length} 处需要修改，改好后预览会自动更新。`;
    showErrors(detail, explicit);
  }

  function renderPreview(preview) {
    window.DrafterPreview.render(previewBody, preview);
  }

  // --- the Word file -------------------------------------------------------------------------------------
  function filenameFrom(header) {
    const star = /filename\*=UTF-8''([^;]+)/i.exec(header || "");
    if (star) {
      try {
        return decodeURIComponent(star[1]);
      } catch (error) {
        return "draft.docx";
      }
    }
    const plain = /filename="([^"]+)"/i.exec(header || "");
    return plain ? plain[1] : "draft.docx";
  }

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = el("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 30000);
  }

  async function draftWord(button) {
    button.disabled = true;
    announce("正在生成 Word 草稿…");
    try {
      const response = await post("/api/draft", JSON.stringify(readForm(true)), "application/json");
      if (response && response.ok) {
        clearErrors();
        const name = filenameFrom(response.headers.get("Content-Disposition"));
        download(await response.blob(), name);
        announce(`已生成：${name}`);
      } else {
        showErrors(response ? await errorDetail(response) : OFFLINE, true);
      }
    } finally {
      button.disabled = false;
    }
  }

  // --- import and export ---------------------------------------------------------------------------------
  function exportForm() {
    const data = readForm(true);
    const name = `表单-${data.unit || "未命名"}-${data.year || ""}.json`.replace(/[\\/:*?"<>|]/g, "_");
    download(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }), name);
    announce(`已导出：${name}`);
  }

  async function importForm(input) {
    const file = input.files && input.files[0];
    if (!file) return;
    const isJson = /\.json$/i.test(file.name);
    const response = await post("/api/form/parse", await file.text(), isJson ? "application/json" : "text/plain");
    input.value = "";
    if (response && response.ok) {
      clearErrors();
      fillForm(await response.json());
      save();
      announce(`已导入：${file.name}`);
      runPreview(true);
      return;
    }
    const detail = response ? await errorDetail(response) : OFFLINE;
    clearErrors();
    const list = el("ul");
    for (const item of detail) list.append(el("li", "", item.path ? `${item.path}：${item.msg}` : item.msg));
    errorsEl.replaceChildren(el("p", "", `未能导入 ${file.name}（当前表单未改动）：`), list);
    errorsEl.hidden = false;
    announce(`未能导入 ${file.name}。`);
  }

  // --- suggestions ---------------------------------------------------------------------------------------
  function refreshThemes() {
    const themes = new Set();
    for (const f of form.querySelectorAll('[data-key="theme"]')) if (f.value.trim()) themes.add(f.value.trim());
    const options = Array.from(themes).map((t) => { const o = el("option"); o.value = t; return o; });
    document.getElementById("theme-options").replaceChildren(...options);
  }

  async function loadSuggestions() {
    let rows = [];
    try {
      const response = await fetch("/api/figure-suggestions");
      if (response.ok) rows = await response.json();
    } catch (error) {
      rows = [];
    }
    const options = [];
    for (const row of rows) {
      if (suggestions.has(row.label)) continue;
      suggestions.set(row.label, row.unit || "");
      const option = el("option", "", row.unit ? `单位：${row.unit}` : "");
      option.value = row.label;
      options.push(option);
    }
    document.getElementById("figure-labels").replaceChildren(...options);
  }

  function fillUnitFromSuggestion(field) {
    if (field.dataset.key !== "label" || !suggestions.has(field.value)) return;
    const unit = fieldsIn(rowOf(field)).find((f) => f.dataset.key === "unit");
    if (unit && !unit.value) unit.value = suggestions.get(field.value);
  }

  // --- wiring --------------------------------------------------------------------------------------------
  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add]");
    if (add) {
      addRow(add.closest("[data-list]"), true);
      save();
      return;
    }
    const remove = event.target.closest("[data-remove]");
    if (remove) {
      removeRow(rowOf(remove));
      save();
      schedulePreview();
    }
  });
  const edited = (event) => {
    const field = event.target;
    if (field.matches("[data-key]")) {
      clearFieldError(field);
      if (event.type === "change") {
        fillUnitFromSuggestion(field);
        if (field.dataset.key === "theme") refreshThemes();
      }
      save();
      schedulePreview();
    }
  };
  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  form.addEventListener("submit", (event) => event.preventDefault());
  document.getElementById("btn-preview").addEventListener("click", () => runPreview(true));
  document.getElementById("btn-draft").addEventListener("click", (event) => draftWord(event.currentTarget));
  document.getElementById("btn-export").addEventListener("click", exportForm);
  document.getElementById("import-file").addEventListener("change", (event) => importForm(event.target));
  document.getElementById("btn-clear").addEventListener("click", () => {
    if (!window.confirm("清空表单中的全部内容？（建议先“导出表单”保存一份）")) return;
    clearErrors();
    fillForm({ year: String(new Date().getFullYear()), period: "annual" });
    save();
    previewBody.replaceChildren();
    announce("表单已清空。");
  });

  // Other scripts of the page (prefill.js) fill the form through this, as an import does.
  window.drafterForm = {
    fill(data, message) { clearErrors(); fillForm(data); save(); announce(message); runPreview(true); },
    unit() { return document.getElementById("f-unit").value.trim(); },
  };

  restore();
  loadSuggestions();
  schedulePreview();
})();
