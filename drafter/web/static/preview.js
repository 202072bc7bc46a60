/* Drafter preview pane: renders /api/preview (title, outline with reference passages, figure wording,
 * placeholders). Everything shown comes from the writer or the corpus, so it is set as text only. */
"use strict";

window.DrafterPreview = (() => {
  const PLACEHOLDER = /【待补充：[^】]*】/g;
  const CHANGE_NAMES = { up: "增长", down: "下降", equal: "持平", from_zero: "零的突破", none: "无同比", missing: "待补充" };

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };

  /* The text with each 【待补充：…】 slot highlighted. */
  function marked(tag, className, text) {
    const node = el(tag, className);
    const value = String(text || "");
    let last = 0;
    for (const match of value.matchAll(PLACEHOLDER)) {
      node.append(value.slice(last, match.index), el("span", "pv-placeholder", match[0]));
      last = match.index + match[0].length;
    }
    node.append(value.slice(last));
    return node;
  }

  function referenceList(references) {
    const details = el("details", "pv-ref-box");
    details.append(el("summary", "muted", `参考段落（${references.length}）`));
    const list = el("ul", "pv-refs");
    for (const ref of references) {
      const item = el("li", "pv-ref");
      const source = el("p", "pv-ref-source", `《${ref.title}》${ref.heading ? ` · ${ref.heading}` : ""}`);
      source.title = ref.source || "";
      item.append(source, el("p", "pv-ref-text", ref.text));
      if (ref.passage && ref.passage !== ref.text) {
        const full = el("details", "pv-ref-full");
        full.append(el("summary", "muted", "查看完整段落"), el("p", "pv-ref-text", ref.passage));
        item.append(full);
      }
      if (ref.frame) {
        const frame = el("p", "pv-ref-frame");
        frame.append(el("span", "tag", "句式"), ref.frame);
        item.append(frame);
      }
      list.append(item);
    }
    details.append(list);
    return details;
  }

  function outline(rows) {
    const list = el("ol", "pv-outline");
    for (const row of rows || []) {
      const item = el("li", `pv-level-${Math.min(Math.max(Number(row.level) || 1, 1), 4)}`);
      item.append(marked("span", "", `${row.number || ""}${row.heading || ""}`));
      if (row.references && row.references.length) item.append(referenceList(row.references));
      list.append(item);
    }
    return list;
  }

  function figureTable(figures) {
    const table = el("table", "pv-figures");
    const head = el("tr");
    for (const name of ["指标", "草稿中的表述", "同比", "所在小节"]) {
      const th = el("th", "", name);
      th.scope = "col";
      head.append(th);
    }
    table.append(el("thead"), el("tbody"));
    table.tHead.append(head);
    for (const fig of figures) {
      const row = el("tr");
      row.append(
        el("td", "", fig.label),
        marked("td", "", fig.text),
        el("td", "", fig.change || CHANGE_NAMES[fig.kind] || ""),
        el("td", "muted", fig.section || "（未放入）"),
      );
      table.tBodies[0].append(row);
    }
    return table;
  }

  const STYLE_NAMES = { fitting: "搭配动词", parallel: "排比开头语", result: "成效句", theme: "主题原样", override: "表单指定" };

  function headingList(headings) {
    const list = el("ul", "pv-headings");
    for (const h of headings) {
      const item = el("li");
      item.append(el("strong", "", h.heading), el("span", "muted", `（${STYLE_NAMES[h.style] || h.style}）${h.evidence}`));
      list.append(item);
    }
    return list;
  }

  function render(target, preview) {
    const parts = [marked("p", "pv-title", preview.title)];
    parts.push(el("h3", "", "提纲与参考段落"), outline(preview.outline));
    const figures = preview.figures || [];
    parts.push(el("h3", "", `数字表述（${figures.length}）`));
    parts.push(figures.length ? figureTable(figures) : el("p", "muted", "表单中还没有指标。"));
    const headings = preview.headings || [];
    if (headings.length) parts.push(el("h3", "", "标题的依据"), headingList(headings));
    const declines = preview.suggested_problems || [];
    if (declines.length) {
      parts.push(el("h3", "", `可写入“存在的问题”的下降指标（${declines.length}）`));
      const list = el("ul", "pv-declines");
      for (const text of declines) list.append(el("li", "", text));
      parts.push(list);
    }
    const slots = preview.placeholders || [];
    parts.push(el("h3", "", `待补充（${slots.length}）`));
    if (slots.length) {
      const list = el("ul", "pv-slots");
      for (const slot of slots) list.append(marked("li", "", slot));
      parts.push(list);
    } else {
      parts.push(el("p", "muted", "没有待补充的内容。"));
    }
    target.replaceChildren(...parts);
  }

  return { render };
})();
