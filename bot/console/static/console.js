// 工会工作台 — the cadres' console. Vanilla JavaScript, no build step. Every value from the
// server is put on the page as text (textContent), never as markup; the one exception is a
// notice preview or a case's text, which the server has already reduced to Telegram's few
// formatting tags (bot/core/telegram_html.py).
"use strict";

const tg = (window.Telegram && window.Telegram.WebApp) || null;
const initData = tg ? tg.initData || "" : "";
let me = null;
let S = {};

// ---- helpers -------------------------------------------------------------------------

function T(key, params) {
  let text = S[key] || key;
  for (const [name, value] of Object.entries(params || {})) {
    text = text.split("{" + name + "}").join(String(value));
  }
  return text;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function toast(text) {
  const box = document.getElementById("toast");
  box.textContent = text;
  box.classList.add("shown");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.classList.remove("shown"), 3500);
}

class ApiError extends Error {
  constructor(status, data) {
    super((data && data.error) || "HTTP " + status);
    this.status = status;
    this.errors = (data && data.errors) || null;
  }
}

async function api(path, options) {
  const opts = options || {};
  const headers = { "X-Console-Request": "1" };
  if (initData) headers.Authorization = "tma " + initData;
  let body;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  const reply = await fetch("/console/api" + path, {
    method: opts.method || (body ? "POST" : "GET"), headers, body, credentials: "same-origin",
  });
  if (opts.blob && reply.ok) return reply.blob();
  const data = (reply.headers.get("Content-Type") || "").includes("json") ? await reply.json() : null;
  if (!reply.ok) {
    if (reply.status === 401) showLogin(data && data.error);
    throw new ApiError(reply.status, data);
  }
  return data;
}

function failed(error) {
  if (error instanceof ApiError && error.status === 401) return;
  toast(error.message || String(error));
}

// Field errors next to their fields: each field is wrapped in a .field with data-field.
function showErrors(form, errors) {
  for (const hint of form.querySelectorAll(".hint.bad")) hint.remove();
  for (const box of form.querySelectorAll(".field.bad")) box.classList.remove("bad");
  for (const [name, text] of Object.entries(errors || {})) {
    const box = form.querySelector(`.field[data-field="${name}"]`) || form;
    box.classList.add("bad");
    box.append(el("div", { class: "hint bad", role: "alert", text }));
  }
}

function field(name, label, input, hint) {
  return el("label", { class: "field", "data-field": name },
    el("span", { class: "label", text: label }), input,
    hint ? el("span", { class: "hint", text: hint }) : null);
}

function select(name, options, value) {
  const box = el("select", { name });
  for (const [key, label] of options) box.append(el("option", { value: key, text: label }));
  if (value !== undefined) box.value = value;
  return box;
}

function checkbox(name, checked) {
  return el("input", { type: "checkbox", name, checked: !!checked });
}

function section(title, ...children) {
  return el("section", { class: "card" }, title ? el("h2", { text: title }) : null, ...children);
}

async function download(path, name) {
  const blob = await api(path, { blob: true });
  const link = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
}

// A page draws itself only if the address is still the one it was asked for: a slow page
// finishing after the cadre moved on must not cover the page they are on now.
function render(at, ...children) {
  if (at !== location.hash) return;
  setView(...children);
}

function setView(...children) {
  const view = document.getElementById("view");
  view.replaceChildren(...children);
  view.scrollTop = 0;
}

function departmentOptions(withAll) {
  const options = me.departments.map((d) => [d, d]);
  return withAll ? [["", T("console_all")], ...options] : options;
}

// ---- login and navigation ---------------------------------------------------------------

function showLogin(text) {
  document.getElementById("tabs").replaceChildren();
  setView(section(S.console_title || "工会工作台",
    el("p", { text: text || T("console_unauthorized") }),
    el("p", { class: "muted", text: S.console_login_hint || "" })));
}

const PAGES = [
  ["dashboard", "console_nav_dashboard", () => dashboardPage()],
  ["roster", "console_nav_roster", () => rosterPage()],
  ["notices", "console_nav_notices", () => noticesPage()],
  ["cases", "console_nav_cases", () => casesPage()],
  ["activities", "console_nav_activities", () => activitiesPage()],
  ["care", "console_nav_care", () => carePage()],
];
const DETAILS = {
  case: (id) => casePage(id),
  notice: (id) => receiptsPage(id),
  activity: (id) => activityPage(id),
  member: (id) => memberPage(id),
};

function tabs(current) {
  const nav = document.getElementById("tabs");
  nav.replaceChildren(...PAGES.map(([name, key]) =>
    el("a", { href: "#" + name, class: name === current ? "tab on" : "tab", text: T(key),
              "aria-current": name === current ? "page" : null })));
}

async function route() {
  if (!me) return;
  const [name, id] = (location.hash.replace(/^#/, "") || "dashboard").split("/");
  const page = PAGES.find(([key]) => key === name);
  const parent = { case: "cases", notice: "notices", activity: "activities", member: "roster" };
  tabs(page ? name : parent[name] || "dashboard");
  setView(el("p", { class: "muted", text: T("console_loading") }));
  try {
    if (DETAILS[name] && /^\d+$/.test(id || "")) await DETAILS[name](Number(id));
    else await (page ? page[2] : PAGES[0][2])();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) {
      setView(section(null, el("p", { class: "bad", text: error.message || String(error) })));
    }
  }
}

// ---- 看板 dashboard -----------------------------------------------------------------------

function chartImage(name) {
  const box = el("figure", { class: "chart" });
  api("/dashboard/chart/" + name, { blob: true }).then(
    (blob) => box.append(el("img", { src: URL.createObjectURL(blob), alt: T("console_chart_alt_" + name) })),
    (error) => box.append(el("p", { class: "muted", text: error.message })));
  return box;
}

function lines(rows, key, empty) {
  if (!rows.length) return el("p", { class: "muted", text: T(empty || "console_empty") });
  return el("ul", { class: "lines" }, rows.map((row) => el("li", { text: T(key, row) })));
}

async function dashboardPage() {
  const at = location.hash;
  const data = await api("/dashboard");
  const blocks = [
    ["cases", "console_dash_cases", data.cases, "console_dash_cases_line"],
    ["notices", "console_dash_notices", data.notices, "console_dash_notice_line"],
    ["activities", "console_dash_activities", data.activities, "console_dash_activity_line"],
    ["care", "console_dash_care", data.care, "console_dash_care_line"],
    ["members", "console_dash_members", data.members, "console_dash_member_line"],
  ];
  const charts = blocks.map(([name]) => chartImage(name));
  render(at, el("h1", { text: T("console_dash_title", { month: data.month }) }),
    el("div", { class: "grid" }, blocks.map(([, title, rows, key], i) =>
      section(T(title), charts[i], lines(rows, key)))));
}

// ---- 名册 roster --------------------------------------------------------------------------

const roster = { q: "", department: "", role: "", registered: "", page: 1 };

async function rosterPage() {
  const at = location.hash;
  const query = new URLSearchParams(roster).toString();
  const data = await api("/roster?" + query);
  const search = el("input", { type: "search", name: "q", value: roster.q,
                               placeholder: T("console_roster_search_placeholder") });
  const department = select("department", departmentOptions(true), roster.department);
  const role = select("role", [["", T("console_all")], ["member", T("console_role_member")],
    ["cadre", T("console_role_cadre")], ["admin", T("console_role_admin")]], roster.role);
  const registered = select("registered", [["", T("console_all")],
    ["yes", T("console_roster_registered_yes")], ["no", T("console_roster_registered_no")]],
    roster.registered);
  const filters = el("form", { class: "filters", onsubmit: (event) => {
    event.preventDefault();
    Object.assign(roster, { q: search.value, department: department.value, role: role.value,
                            registered: registered.value, page: 1 });
    rosterPage().catch(failed);
  } }, field("q", T("console_search"), search), field("department", T("console_roster_department"), department),
    field("role", T("console_roster_role"), role),
    field("registered", T("console_roster_registered"), registered),
    el("button", { type: "submit", text: T("console_search") }));
  for (const box of [department, role, registered]) {
    box.addEventListener("change", () => filters.requestSubmit());
  }
  const table = el("table", { class: "people" },
    el("thead", {}, el("tr", {}, ["console_col_name", "console_roster_department",
      "console_roster_role", "console_roster_registered"].map((k) => el("th", { text: T(k) })))),
    el("tbody", {}, data.people.map((p) => el("tr", {},
      el("td", {}, el("a", { href: "#member/" + p.id, text: p.name })),
      el("td", { text: p.department }),
      el("td", { text: T("console_role_" + p.role) }),
      el("td", { text: p.registered ? T("console_yes") : T("console_no") })))));
  const pager = el("div", { class: "pager" },
    el("button", { type: "button", disabled: data.page <= 1, text: T("console_prev"),
      onclick: () => { roster.page -= 1; rosterPage().catch(failed); } }),
    el("span", { text: T("console_page", data) }),
    el("button", { type: "button", disabled: data.page >= data.pages, text: T("console_next"),
      onclick: () => { roster.page += 1; rosterPage().catch(failed); } }));
  const actions = el("div", { class: "actions" },
    el("button", { type: "button", class: "secondary", text: T("console_roster_export"),
      onclick: () => download("/roster/export?" + query, "roster.xlsx").catch(failed) }));
  render(at, section(T("console_nav_roster"), filters, actions, table, pager),
    me.role === "admin" ? importSection() : null);
}

function importSection() {
  const input = el("input", { type: "file", name: "file", accept: ".csv,.xlsx" });
  const result = el("div", { class: "import-result" });
  const form = el("form", { class: "import", onsubmit: async (event) => {
    event.preventDefault();
    if (!input.files.length) { showErrors(form, { file: T("console_import_pick") }); return; }
    const file = input.files[0];
    const upload = new FormData();
    upload.append("file", file);
    try {
      showErrors(form, {});
      const data = await api("/roster/import/check", { form: upload });
      result.replaceChildren(...importPreview(data, file));
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) showErrors(form, { file: error.message });
      else failed(error);
    }
  } }, field("file", T("console_import_pick"), input),
    el("button", { type: "submit", text: T("console_import_check") }));
  return section(T("console_roster_import"), el("p", { class: "muted", text: T("console_import_nothing_written") }),
    form, result);
}

function importPreview(data, file) {
  const rows = el("table", { class: "import-rows" }, el("tbody", {}, data.rows.map((row) =>
    el("tr", { class: row.ok ? "ok" : "problem" },
      el("td", { text: T("console_import_line", row) }),
      row.ok ? el("td", { text: `${row.name} · ${row.department}` })
             : el("td", { class: "bad", text: row.problem }),
      el("td", { text: row.ok ? T("console_outcome_" + row.outcome) : T("console_import_skipped") })))));
  const confirm = el("button", { type: "button", disabled: !data.good,
    text: T("console_import_confirm", data), onclick: async () => {
      const upload = new FormData();
      upload.append("file", file);
      upload.append("digest", data.digest);
      confirm.disabled = true;
      try {
        const done = await api("/roster/import/save", { form: upload });
        toast(T("console_import_done", done));
        rosterPage().catch(failed);
      } catch (error) { confirm.disabled = false; failed(error); }
    } });
  return [el("p", { class: "summary", text: T("console_import_rows", data) }), rows,
    el("div", { class: "actions" }, confirm)];
}

async function memberPage(id) {
  const at = location.hash;
  const m = await api("/roster/" + id);
  const rows = [
    ["console_roster_department", m.department],
    ["console_roster_role", T("console_role_" + m.role)],
    ["console_member_username", m.username ? "@" + m.username : "—"],
    ["console_member_phone", m.phone || "—"],
    ["console_member_birthday", m.birthday || "—"],
    ["console_member_since", m.since || T("console_roster_registered_no")],
    ["console_member_private", m.reachable ? T("console_yes") : T("console_no")],
  ];
  render(at, el("a", { href: "#roster", class: "back", text: "← " + T("console_back") }),
    section(m.name, el("dl", { class: "facts" }, rows.map(([key, value]) =>
      [el("dt", { text: T(key) }), el("dd", { text: value })])),
      el("p", { class: "muted", text: T("console_member_note") })));
}

// ---- 通知 notices -------------------------------------------------------------------------

function noticeForm() {
  const text = el("textarea", { name: "text", rows: 5 });
  const target = select("target", [["groups", T("console_target_groups")],
    ["members", T("console_target_members")], ["both", T("console_target_both")]], "groups");
  const scope = select("scope", [["all", T("console_scope_all")],
    ["departments", T("console_scope_departments")]], "all");
  const boxes = el("div", { class: "choices" }, me.departments.map((d) =>
    el("label", { class: "choice" }, el("input", { type: "checkbox", name: "departments", value: d }), d)));
  const departments = field("departments", T("console_notice_departments"), boxes);
  departments.hidden = true;
  scope.addEventListener("change", () => { departments.hidden = scope.value !== "departments"; });
  const when = el("input", { type: "datetime-local", name: "when" });
  const form = el("form", { class: "compose" },
    field("text", T("console_notice_text"), text),
    field("target", T("console_notice_target"), target),
    field("scope", T("console_notice_scope"), scope), departments,
    el("label", { class: "check" }, checkbox("ack", true), T("console_notice_ack")),
    el("label", { class: "check" }, checkbox("pin", false), T("console_notice_pin")),
    field("when", T("console_notice_when"), when, T("console_notice_when_hint")));
  form.values = () => ({
    text: text.value, target: target.value, scope: scope.value,
    departments: [...boxes.querySelectorAll("input:checked")].map((b) => b.value),
    ack: form.querySelector("[name=ack]").checked, pin: form.querySelector("[name=pin]").checked,
    when: when.value,
  });
  return form;
}

function previewBlock(data) {
  const bubble = el("div", { class: "bubble" });
  for (const part of data.parts) {
    const body = el("div", { class: "part" });
    body.innerHTML = part.html;  // reduced to Telegram's formatting tags by the server
    bubble.append(body);
  }
  if (data.buttons.length) {
    bubble.append(el("div", { class: "keys" }, data.buttons.map((b) =>
      el("span", { class: "key", text: b }))));
  }
  const reach = el("ul", { class: "lines" }, data.reach.map((r) => el("li", {},
    el("strong", { text: r.department }), " ",
    T("console_reach_line", r),
    el("div", { class: "muted", text: r.groups.length ? T("console_reach_groups", { groups: r.groups.join("、") })
                                                     : T("console_reach_no_group") }),
    r.unreachable.length ? el("div", { class: "bad", text: T("console_reach_unreachable",
                                                             { names: r.unreachable.join("、") }) }) : null)));
  return [el("h3", { text: T("console_notice_preview_title") }), bubble,
    el("h3", { text: T("console_notice_reach_title") }), reach,
    el("p", { class: "summary", text: data.summary })];
}

async function noticesPage() {
  const at = location.hash;
  const form = noticeForm();
  const preview = el("div", { class: "preview" });
  const send = el("button", { type: "button", hidden: true, text: T("console_notice_send") });
  const check = el("button", { type: "button", text: T("console_notice_preview_button"),
    onclick: async () => {
      try {
        showErrors(form, {});
        const shown = await api("/notices/preview", { body: form.values() });
        preview.replaceChildren(...previewBlock(shown));
        // A notice that misses departments without a group: the summary asks, the button says so.
        send.textContent = T(shown.ask ? "console_notice_send_anyway" : "console_notice_send");
        send.hidden = false;
      } catch (error) {
        send.hidden = true;
        if (error.errors) showErrors(form, error.errors); else failed(error);
      }
    } });
  send.addEventListener("click", async () => {
    send.disabled = true;
    try {
      const done = await api("/notices", { body: form.values() });
      toast(T(done.scheduled ? "console_notice_scheduled" : "console_notice_sent", done));
      location.hash = done.scheduled ? "#notices" : "#notice/" + done.id;
      if (done.scheduled) noticesPage().catch(failed);
    } catch (error) {
      if (error.errors) showErrors(form, error.errors); else failed(error);
    } finally { send.disabled = false; }
  });
  form.addEventListener("input", () => { send.hidden = true; });
  const data = await api("/notices");
  render(at, section(T("console_notices_compose"), form, el("div", { class: "actions" }, check, send), preview),
    section(T("console_notices_recent"), data.sent.length ? el("ul", { class: "lines" }, data.sent.map((n) =>
      el("li", {}, el("a", { href: "#notice/" + n.id, text: n.title }), " ",
        n.ack ? el("span", { class: "pill", text: T("console_notice_progress", n) }) : null)))
      : el("p", { class: "muted", text: T("console_empty") })),
    section(T("console_notices_waiting"), data.scheduled.length
      ? el("div", {}, data.scheduled.map(scheduledItem)) : el("p", { class: "muted", text: T("console_empty") })));
}

function scheduledItem(n) {
  const when = el("input", { type: "datetime-local", name: "when" });
  const text = el("textarea", { name: "text", rows: 3 });
  text.value = n.text;
  const form = el("form", { class: "scheduled" }, el("p", {}, el("strong", { text: n.when }), " ", n.title),
    field("when", T("console_reschedule"), when), field("text", T("console_rewrite"), text));
  const act = (path, body) => async () => {
    try {
      showErrors(form, {});
      await api(`/notices/${n.id}/${path}`, { body });
      toast(T("console_saved"));
      noticesPage().catch(failed);
    } catch (error) { if (error.errors) showErrors(form, error.errors); else failed(error); }
  };
  form.append(el("div", { class: "actions" },
    el("button", { type: "button", text: T("console_reschedule"), onclick: () => act("reschedule", { when: when.value })() }),
    el("button", { type: "button", text: T("console_rewrite"), onclick: () => act("rewrite", { text: text.value })() }),
    el("button", { type: "button", class: "danger", text: T("console_cancel_notice"), onclick: act("cancel", {}) })));
  return form;
}

async function receiptsPage(id) {
  const at = location.hash;
  const data = await api(`/notices/${id}/receipts`);
  if (data.releasing) {
    render(at, section(data.title, el("p", { class: "summary", id: "receipt-total", text: T("console_notice_releasing") })));
    clearTimeout(receiptsPage.timer);
    receiptsPage.timer = setTimeout(() => {
      if (location.hash === "#notice/" + id) receiptsPage(id).catch(failed);
    }, 1000);
    return;
  }
  const missing = data.departments.reduce((sum, d) => sum + d.unconfirmed.length, 0);
  const confirmed = data.departments.reduce((sum, d) => sum + d.confirmed, 0);
  const audience = data.departments.reduce((sum, d) => sum + d.audience, 0);
  const remind = data.ack && missing ? el("button", { type: "button",
    text: T("console_remind", { count: missing }), onclick: async () => {
      remind.disabled = true;
      try {
        const done = await api(`/notices/${id}/remind`, { body: { rounds: data.rounds } });
        toast(done.message);
      } catch (error) { failed(error); }
      receiptsPage(id).catch(failed);
    } }) : null;
  const board = el("div", { class: "receipts" }, data.departments.map((d) => el("div", { class: "dept" },
    el("div", { class: "dept-head" }, el("strong", { text: d.department }),
      el("span", { class: "count", text: `${d.confirmed}/${d.audience}` })),
    el("progress", { max: d.audience || 1, value: d.confirmed }),
    el("div", { class: "muted", text: T("console_receipt_delivery", d) }),
    d.unreachable.length ? el("div", { class: "bad", text: T("console_reach_unreachable",
                                                             { names: d.unreachable.join("、") }) }) : null,
    d.unconfirmed.length ? el("div", { class: "unconfirmed" }, el("span", { text: T("console_receipt_unconfirmed") }),
      d.unconfirmed.join("、")) : null)));
  render(at, el("a", { href: "#notices", class: "back", text: "← " + T("console_back") }),
    section(data.title, el("p", { class: "muted", text: data.when }),
      el("p", { class: "summary", id: "receipt-total", text: data.ack ? T("console_notice_progress", { confirmed, audience }) : T("console_notice_no_ack") }),
      el("div", { class: "actions" }, remind,
        el("button", { type: "button", class: "secondary", text: T("console_refresh"), onclick: () => receiptsPage(id).catch(failed) })),
      el("p", { class: "muted", text: T("console_receipt_groups", data.groups) }),
      data.groups.failures.map((f) => el("div", { class: "bad", text: `${f.reason}：${f.count}` })),
      board));
  clearTimeout(receiptsPage.timer);
  receiptsPage.timer = setTimeout(() => {
    if (location.hash === "#notice/" + id) receiptsPage(id).catch(() => {});
  }, 5000);
}

// ---- 案件 cases ---------------------------------------------------------------------------

const caseFilter = { category: "", department: "", kind: "" };

async function casesPage() {
  const at = location.hash;
  const data = await api("/cases?" + new URLSearchParams(caseFilter).toString());
  const category = select("category", [["", T("console_all")], ...me.categories.map((c) => [c, c])], caseFilter.category);
  const department = select("department", departmentOptions(true), caseFilter.department);
  const kind = select("kind", [["", T("console_all")], ...me.kinds], caseFilter.kind);
  const filters = el("form", { class: "filters" },
    field("category", T("console_cases_category"), category),
    field("department", T("console_roster_department"), department),
    field("kind", T("console_cases_kind"), kind));
  for (const box of [category, department, kind]) {
    box.addEventListener("change", () => {
      Object.assign(caseFilter, { category: category.value, department: department.value, kind: kind.value });
      casesPage().catch(failed);
    });
  }
  const columns = me.board.map(([status, label]) => {
    const cards = data.cases.filter((c) => c.status === status);
    return el("div", { class: cards.length ? "column" : "column empty", "data-status": status },
      el("h3", {}, label, el("span", { class: "count", text: String(cards.length) })),
      cards.map((c) => el("a", { href: "#case/" + c.id, class: "case due-" + c.due_state },
        el("div", { class: "case-head" }, el("strong", { text: "#" + c.id }), " ", c.category,
          c.anonymous ? el("span", { class: "pill", text: T("console_case_anonymous_tag") }) : null),
        el("div", { class: "muted", text: `${c.kind} · ${c.department}` }),
        el("div", { class: "due", text: T("console_due", c) + (c.due_state === "overdue" ? " · " + T("console_due_overdue")
                                                          : c.due_state === "soon" ? " · " + T("console_due_soon") : "") }),
        c.assignee ? el("div", { class: "muted", text: T("console_case_assignee") + "：" + c.assignee }) : null)));
  });
  render(at, section(T("console_nav_cases"), filters,
    data.cases.length ? null : el("p", { class: "muted", text: T("console_empty") })),
    el("div", { class: "board" }, columns));
}

function actionForm(c, action) {
  const form = el("form", { class: "act" });
  const inputs = {};
  if (action.words) {
    inputs.text = el("textarea", { name: "text", rows: 3 });
    form.append(field("text", T("console_case_words"), inputs.text));
  }
  if (action.action === "assign") {
    inputs.assignee = select("assignee", c.cadres.map((p) => [String(p.id), p.name]));
    form.append(field("assignee", T("console_case_assign_pick"), inputs.assignee));
  }
  if (action.action === "visit") {
    inputs.amount = el("input", { type: "number", name: "amount", min: 0, inputmode: "numeric" });
    inputs.note = el("input", { type: "text", name: "note", maxlength: 200 });
    form.append(field("amount", T("console_case_amount"), inputs.amount), field("note", T("console_case_note"), inputs.note));
  }
  form.append(el("div", { class: "actions" }, el("button", { type: "submit", text: action.label })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { action: action.action };
    if (inputs.text) body.text = inputs.text.value;
    if (inputs.assignee) body.assignee = Number(inputs.assignee.value);
    if (inputs.amount) { body.amount = inputs.amount.value; body.note = inputs.note.value; }
    try {
      showErrors(form, {});
      const card = await api(`/cases/${c.id}/act`, { body });
      toast(T("console_case_done"));
      renderCase(card);
    } catch (error) { if (error.errors) showErrors(form, error.errors); else failed(error); }
  });
  return form;
}

function renderCase(c) {
  const at = location.hash;
  const text = el("div", { class: "case-text" });
  text.innerHTML = c.text;  // reduced to Telegram's formatting tags by the server
  const holder = el("div", { class: "act-holder" });
  const buttons = c.actions.length ? el("div", { class: "actions wrap" }, c.actions.map((a) =>
    el("button", { type: "button", class: "secondary", text: a.label, "data-action": a.action,
      onclick: () => holder.replaceChildren(actionForm(c, a)) })))
    : el("p", { class: "muted", text: T("console_case_no_actions") });
  render(at, el("a", { href: "#cases", class: "back", text: "← " + T("console_back") }),
    section(`#${c.id} ${c.category}`,
      el("p", {}, el("span", { class: "pill", text: c.status_label }), " ", `${c.kind} · ${c.department}`),
      el("dl", { class: "facts" },
        el("dt", { text: T("console_case_reporter_label") }), el("dd", { text: c.reporter }),
        el("dt", { text: T("console_case_assignee") }), el("dd", { text: c.assignee || "—" }),
        el("dt", { text: T("console_case_due_label") }), el("dd", { text: c.due })),
      text, c.files ? el("p", { class: "muted", text: T("console_case_files", { count: c.files }) }) : null),
    section(T("console_case_actions"), buttons, holder),
    section(T("console_case_thread"), el("ol", { class: "thread" }, c.thread.map((s) =>
      el("li", { class: "step " + s.actor }, el("span", { class: "muted", text: s.at }), " ",
        el("strong", { text: s.who ? `${s.who}：${s.action}` : s.action }),
        s.text ? el("div", { class: "step-text", text: s.text }) : null)))));
}

async function casePage(id) {
  renderCase(await api("/cases/" + id));
}

// ---- 活动 activities ----------------------------------------------------------------------

function activityForm() {
  const input = (name, type, attrs) => el("input", Object.assign({ type, name }, attrs || {}));
  const boxes = el("div", { class: "choices" }, me.departments.map((d) =>
    el("label", { class: "choice" }, el("input", { type: "checkbox", name: "departments", value: d }), d)));
  const form = el("form", { class: "activity", novalidate: true },
    field("title", T("console_act_field_title"), input("title", "text", { maxlength: 64, required: true })),
    el("div", { class: "row" },
      field("date", T("console_act_field_date"), input("date", "date", { required: true })),
      field("start", T("console_act_field_start"), input("start", "time", { required: true })),
      field("end", T("console_act_field_end"), input("end", "time", { required: true }))),
    field("place", T("console_act_field_place"), input("place", "text", { maxlength: 64 })),
    el("div", { class: "row" },
      field("deadline", T("console_act_field_deadline"), el("div", { class: "pair" },
        input("deadline_date", "date"), input("deadline_time", "time")))),
    el("div", { class: "row" },
      field("capacity", T("console_act_field_capacity"), input("capacity", "number", { min: 1, max: 10000 })),
      field("guests", T("console_act_field_guests"), input("guests", "number", { min: 0, max: 5, value: 0 }))),
    field("departments", T("console_act_field_departments"), boxes),
    el("label", { class: "check" }, checkbox("weekly", false), T("console_act_field_weekly")),
    el("label", { class: "check" }, checkbox("list_visible", true), T("console_act_field_visible")),
    field("description", T("console_act_field_description"), el("textarea", { name: "description", rows: 3 })),
    el("label", { class: "check" }, checkbox("post", true), T("console_act_post")));
  form.values = () => {
    const value = (name) => form.querySelector(`[name=${name}]`).value;
    const ticked = (name) => form.querySelector(`[name=${name}]`).checked;
    return { fields: {
      title: value("title"), date: value("date"), start: value("start"), end: value("end"),
      place: value("place"), deadline_date: value("deadline_date"), deadline_time: value("deadline_time"),
      capacity: value("capacity"), guests: value("guests"), description: value("description"),
      departments: [...boxes.querySelectorAll("input:checked")].map((b) => b.value),
      weekly: ticked("weekly"), list_visible: ticked("list_visible"),
    }, post: ticked("post") };
  };
  return form;
}

async function activitiesPage() {
  const at = location.hash;
  const form = activityForm();
  const preview = el("pre", { class: "post-preview", hidden: true });
  const create = el("button", { type: "button", hidden: true, text: T("console_act_create") });
  const check = el("button", { type: "button", text: T("console_act_check"), onclick: async () => {
    try {
      showErrors(form, {});
      const data = await api("/activities/check", { body: form.values() });
      preview.textContent = data.preview;
      preview.hidden = false;
      create.hidden = false;
    } catch (error) {
      preview.hidden = true; create.hidden = true;
      if (error.errors) showErrors(form, error.errors); else failed(error);
    }
  } });
  create.addEventListener("click", async () => {
    create.disabled = true;
    try {
      const made = await api("/activities", { body: form.values() });
      toast(T("console_act_created", made));
      location.hash = "#activity/" + made.id;
    } catch (error) {
      if (error.errors) showErrors(form, error.errors); else failed(error);
    } finally { create.disabled = false; }
  });
  form.addEventListener("input", () => { create.hidden = true; });
  const data = await api("/activities");
  render(at, section(T("console_act_upcoming"), data.activities.length ? el("ul", { class: "lines" }, data.activities.map((a) =>
      el("li", {}, el("a", { href: "#activity/" + a.id, text: a.title }), " ",
        el("span", { class: "muted", text: T("console_act_line", a) }), " ",
        el("span", { class: "pill", text: activityCount(a) }))))
      : el("p", { class: "muted", text: T("console_empty") })),
    section(T("console_act_new"), form, el("div", { class: "actions" }, check, create), preview));
}

function activityCount(a) {
  return a.capacity ? T("console_act_count", a) : T("console_act_count_unlimited", a);
}

async function activityPage(id) {
  const at = location.hash;
  const a = await api(`/activities/${id}/roster`);
  const rows = a.going.map((p) => el("tr", {},
    el("td", { text: p.name }), el("td", { text: p.department }),
    el("td", { text: p.guests ? "+" + p.guests : "" }),
    el("td", {}, p.checked_in ? el("span", { class: "pill ok", text: T("console_act_checked", { time: p.checked_in }) })
      : a.manageable ? el("button", { type: "button", class: "secondary", text: T("console_act_checkin"),
        onclick: async () => {
          try { await api(`/activities/${id}/checkin`, { body: { signup: p.signup } }); activityPage(id).catch(failed); }
          catch (error) { failed(error); }
        } }) : "")));
  const cancel = a.manageable ? el("button", { type: "button", class: "danger", text: T("console_act_cancel"),
    onclick: async () => {
      if (!window.confirm(T("console_act_cancel_confirm"))) return;
      try { await api(`/activities/${id}/cancel`, { body: {} }); activityPage(id).catch(failed); }
      catch (error) { failed(error); }
    } }) : null;
  render(at, el("a", { href: "#activities", class: "back", text: "← " + T("console_back") }),
    section(a.title, el("p", { class: "muted", text: T("console_act_line", a) }),
      el("p", {}, el("span", { class: "pill", text: a.status }), " ", activityCount(a)),
      el("div", { class: "actions" },
        el("button", { type: "button", class: "secondary", text: T("console_export_xlsx"),
          onclick: () => download(`/activities/${id}/export?format=xlsx`, `activity-${id}.xlsx`).catch(failed) }),
        el("button", { type: "button", class: "secondary", text: T("console_export_csv"),
          onclick: () => download(`/activities/${id}/export?format=csv`, `activity-${id}.csv`).catch(failed) }),
        cancel)),
    section(T("console_act_going"), rows.length ? el("table", { class: "people" }, el("tbody", {}, rows))
      : el("p", { class: "muted", text: T("console_empty") })),
    section(T("console_act_queue"), lines(a.queue.map((p, i) => ({ position: i + 1, ...p })), "console_act_queue_line")));
}

// ---- 关怀与投票 care and votes ---------------------------------------------------------------

async function carePage() {
  const at = location.hash;
  const data = await api("/care");
  const approvals = data.approvals.map((v) => {
    const reason = el("input", { type: "text", name: "reason", maxlength: 500 });
    const form = el("form", { class: "approval" },
      el("p", {}, el("strong", { text: T("console_care_approval", v) })),
      el("p", { class: "muted", text: T("console_care_note", v) }));
    if (data.can_approve) {
      form.append(field("reason", T("console_care_reason"), reason),
        el("div", { class: "actions" }, el("button", { type: "submit", text: T("console_care_approve") })));
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        showErrors(form, {});
        const done = await api(`/care/visits/${v.id}/approve`, { body: { reason: reason.value } });
        toast(done.message);
        carePage().catch(failed);
      } catch (error) { if (error.errors) showErrors(form, error.errors); else failed(error); }
    });
    return form;
  });
  const votes = data.votes.map((v) => el("div", { class: "vote" },
    el("p", {}, el("strong", { text: v.question }), " ", el("span", { class: "pill", text: v.status })),
    el("progress", { max: v.electorate || 1, value: v.turnout }),
    el("p", { class: "muted", text: T("console_vote_turnout", v) + " · " + T("console_vote_closes", v) }),
    v.results ? el("ul", { class: "lines" }, v.results.map((r) => el("li", { text: `${r.option}：${r.count}` })))
      : el("p", { class: "muted", text: T("console_vote_results_hidden") })));
  render(at, section(T("console_care_title"), lines(data.kinds, "console_care_kind")),
    section(T("console_care_approvals"), data.can_approve ? null : el("p", { class: "muted", text: T("console_care_chair_only") }),
      approvals.length ? approvals : el("p", { class: "muted", text: T("console_care_none") })),
    section(T("console_votes_title"), votes.length ? votes : el("p", { class: "muted", text: T("console_empty") })));
}

// ---- start ------------------------------------------------------------------------------

async function start() {
  if (tg) { tg.ready(); tg.expand(); }
  try {
    me = await api("/me");
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) showLogin(error.message);
    return;
  }
  S = me.strings;
  document.documentElement.lang = me.lang === "zh" ? "zh-CN" : "en";
  document.title = T("console_title");
  document.getElementById("title").textContent = T("console_title") + (me.name ? " · " + me.name : "");
  if (!me.allowed) {
    setView(section(T("console_title"), el("p", { text: T("console_members_only") })));
    return;
  }
  window.addEventListener("hashchange", () => route());
  route();
}

start();
