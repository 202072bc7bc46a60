/* Drafter administration page, accounts: list units and accounts, add a unit or an account, disable or
 * enable an account, reset a password. The same rules as `drafter admin`; everything the server returns is set as text only. */
"use strict";

(() => {
  const form = document.getElementById("accounts-add-form");
  if (!form) return;
  const unitsEl = document.getElementById("accounts-units");
  const usersEl = document.getElementById("accounts-users");
  const statusEl = document.getElementById("accounts-status");
  const unitSelect = document.getElementById("accounts-unit");

  const el = (tag, text) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = String(text);
    return node;
  };
  const csrfToken = () => {
    const match = document.cookie.match(/(?:^|;\s*)drafter_csrf=([^;]+)/);
    return match ? match[1] : "";
  };
  const problems = (data) => (data.detail || []).map((d) => d.msg).join("；") || "操作未完成";
  const say = (text) => statusEl.replaceChildren(el("p", text));

  async function call(method, url, body) {
    const headers = { "X-CSRF-Token": csrfToken() };
    const options = { method, headers };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, options);
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

  function button(label, onClick) {
    const node = el("button", label);
    node.type = "button";
    node.className = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  async function refresh() {
    const units = await call("GET", "/api/admin/units");
    const users = await call("GET", "/api/admin/users");
    if (!units.ok || !users.ok) {
      say(problems(units.ok ? users.data : units.data));
      return;
    }
    const unitList = el("ul");
    const chosen = unitSelect.value;
    unitSelect.replaceChildren(el("option", "（无：仅管理员）"));
    unitSelect.firstChild.value = "";
    for (const unit of units.data) {
      unitList.append(el("li", `${unit.name}（上传默认：${unit.visibility_name}）`));
      const option = el("option", unit.name);
      option.value = unit.name;
      unitSelect.append(option);
    }
    unitSelect.value = chosen;
    unitsEl.replaceChildren(units.data.length ? unitList : el("p", "还没有单位。"));
    const table = el("table");
    table.className = "report-table";
    const head = el("tr");
    for (const name of ["账号", "单位", "角色", "状态", "操作"]) head.append(el("th", name));
    table.append(head);
    for (const user of users.data) {
      const row = el("tr");
      row.append(el("td", user.name), el("td", user.unit || "—"), el("td", user.role_name));
      row.append(el("td", user.disabled ? "已停用" : "正常"));
      const actions = el("td");
      const toggle = user.disabled ? "enable" : "disable";
      actions.append(
        button(user.disabled ? "启用" : "停用", async () => {
          const result = await call("POST", `/api/admin/users/${encodeURIComponent(user.name)}/${toggle}`);
          say(result.ok ? `账号 ${user.name} 已${user.disabled ? "启用" : "停用"}。` : problems(result.data));
          refresh();
        }),
        button("重设密码", async () => {
          const password = window.prompt(`为账号 ${user.name} 设置新密码：`);
          if (!password) return;
          const result = await call("POST", `/api/admin/users/${encodeURIComponent(user.name)}/password`, { password });
          say(result.ok ? `账号 ${user.name} 的密码已重设，原有登录已失效。` : problems(result.data));
        }),
      );
      row.append(actions);
      table.append(row);
    }
    usersEl.replaceChildren(table);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      name: document.getElementById("accounts-name").value.trim(),
      unit: unitSelect.value,
      role: document.getElementById("accounts-role").value,
      password: document.getElementById("accounts-password").value,
    };
    const result = await call("POST", "/api/admin/users", body);
    say(result.ok ? `已添加账号 ${result.data.name}（${result.data.role_name}）。` : problems(result.data));
    if (result.ok) {
      form.reset();
      refresh();
    }
  });
  const unitForm = document.getElementById("accounts-unit-form");
  unitForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      name: document.getElementById("accounts-unit-name").value.trim(),
      default_visibility: document.getElementById("accounts-unit-visibility").value,
    };
    const result = await call("POST", "/api/admin/units", body);
    say(result.ok ? `已添加单位 ${result.data.name}（上传默认：${result.data.visibility_name}）。` : problems(result.data));
    if (result.ok) {
      unitForm.reset();
      refresh();
    }
  });
  refresh();
})();
