// A brand's sales/ad history in the chat: drop a CSV/XLSX on the conversation (or pick one), see what
// was recognised (the preview stores nothing), then import it or cancel. The attached file is shown
// above the composer with a remove button. Everything read from the file goes in as text nodes.
"use strict";

(() => {
  const { T, CSRF, LANG, fmt, api, errorMessage, el } = planbot;
  const $ = (id) => document.getElementById(id);
  const chat = document.querySelector("main.chat");
  const card = $("history-card");
  const picker = $("history-file");
  let pending = null; // the file shown in the preview, until it is imported or cancelled

  const number = (n) => (n === null || n === undefined ? "—" : n.toLocaleString(LANG === "zh" ? "zh-CN" : "en-US"));
  const month = (iso) => iso.slice(0, 7);

  function showAttached(history) {
    $("history-attached").hidden = !history;
    const src = history && history.source;
    $("history-name").textContent = src ? `${src.file} (${month(src.first)} – ${month(src.last)})` : "";
  }

  function close() {
    pending = null;
    card.hidden = true;
    card.replaceChildren();
  }

  function fail(message) {
    pending = null;
    card.hidden = false;
    card.replaceChildren(
      el("p", { className: "error", role: "alert", text: fmt(T.history_failed, { message }) }),
      el("div", { className: "actions" }, el("button", { type: "button", text: T.history_cancel, onclick: close })),
    );
  }

  async function send(file, preview) {
    const form = new FormData();
    form.append("file", file, file.name);
    const query = preview ? "?preview=true" : "";
    try {
      const response = await fetch(`/v1/sessions/${planbot.chat.session()}/history${query}`, {
        method: "POST", body: form, credentials: "same-origin", headers: { Accept: "application/json", "X-CSRF-Token": CSRF },
      });
      const data = await response.json().catch(() => null);
      return { ok: response.ok, status: response.status, data };
    } catch {
      return { ok: false, status: 0, data: { error: { message: T.error_network } } };
    }
  }

  async function read(file) {
    if (!file || !planbot.chat.session() || planbot.chat.busy()) return;
    if (!/\.(csv|xlsx)$/i.test(file.name)) {
      fail(fmt(T.history_wrong_type, { name: file.name }));
      return;
    }
    pending = null;
    card.hidden = false;
    card.replaceChildren(el("p", { className: "hint", text: fmt(T.history_reading, { name: file.name }) }));
    const { ok, status, data } = await send(file, true);
    if (!ok) {
      fail(errorMessage(data, status));
      return;
    }
    pending = file;
    card.replaceChildren(...previewOf(data.reading));
    card.querySelector("#history-confirm").focus();
  }

  function row(label, value) {
    return el("div", { className: "row" }, el("dt", { text: label }), el("dd", { text: value }));
  }

  function previewOf(reading) {
    const s = reading.summary;
    const sep = LANG === "zh" ? "、" : ", ";
    const facts = el("dl", { className: "facts" },
      row(T.history_style, `${s.style_label} · ${s.file}`),
      row(T.history_period, `${month(s.first)} – ${month(s.last)} (${s.months})`),
      row(T.history_rows, String(s.rows)),
      row(T.history_granularity, T[`history_granularity_${reading.granularity}`] || reading.granularity),
      row(T.history_columns, reading.columns.map((c) => `${c.header} → ${T[`history_field_${c.field}`] || c.field}${c.unit ? ` (${c.unit})` : ""}`).join(sep) || "—"));
    if (reading.ignored_columns.length) facts.append(row(T.history_ignored, reading.ignored_columns.join(sep)));
    if (reading.skipped_rows.length) facts.append(row(T.history_skipped, reading.skipped_rows.join(", ")));
    const months = reading.history.months.filter((m) => m.gmv !== null);
    const table = months.length
      ? el("table", { className: "months" },
        el("thead", {}, el("tr", {}, el("th", { text: T.history_month }), el("th", { text: `${T.history_gmv} (${s.currency})` }))),
        el("tbody", {}, ...months.map((m) => el("tr", {}, el("td", { text: month(m.month) }), el("td", { text: number(m.gmv) })))))
      : "";
    const actions = el("div", { className: "actions" },
      el("button", { type: "button", id: "history-confirm", className: "primary", text: T.history_confirm, onclick: confirm }),
      el("button", { type: "button", id: "history-cancel", text: T.history_cancel, onclick: close }));
    return [el("h3", { text: T.history_preview_title }), el("p", { className: "summary", text: s.text }), facts, table, actions];
  }

  async function confirm() {
    const file = pending;
    if (!file || planbot.chat.busy()) return;
    planbot.chat.setBusy(true);
    for (const b of card.querySelectorAll("button")) b.disabled = true;
    planbot.chat.setStatus(T.history_attaching);
    try {
      const { ok, status, data } = await send(file, false);
      planbot.chat.setStatus("");
      if (!ok) {
        fail(errorMessage(data, status));
        return;
      }
      close();
      await planbot.chat.reload();
    } finally {
      planbot.chat.setBusy(false);
    }
  }

  async function remove() {
    const history = planbot.chat.history();
    if (!history || planbot.chat.busy()) return;
    if (!window.confirm(fmt(T.history_confirm_remove, { file: history.source.file }))) return;
    planbot.chat.setBusy(true);
    try {
      const { ok, data, status } = await api("DELETE", `/v1/sessions/${planbot.chat.session()}/history`);
      if (!ok) {
        planbot.chat.setStatus(fmt(T.error_generic, { message: errorMessage(data, status) }));
        return;
      }
      await planbot.chat.reload();
    } finally {
      planbot.chat.setBusy(false);
    }
  }

  // -- wiring: drop on the conversation, or pick a file ------------------------------------------------
  const withFiles = (e) => e.dataTransfer && [...e.dataTransfer.types].includes("Files");
  chat.addEventListener("dragover", (e) => {
    if (!withFiles(e)) return;
    e.preventDefault();
    chat.classList.add("dropping");
  });
  chat.addEventListener("dragleave", (e) => {
    if (!chat.contains(e.relatedTarget)) chat.classList.remove("dropping");
  });
  chat.addEventListener("drop", (e) => {
    if (!withFiles(e)) return;
    e.preventDefault();
    chat.classList.remove("dropping");
    read(e.dataTransfer.files[0]);
  });
  picker.addEventListener("change", () => {
    read(picker.files[0]);
    picker.value = "";
  });
  $("history-remove").addEventListener("click", remove);
  document.addEventListener("planbot:session", (e) => {
    close();
    showAttached(e.detail.history);
  });
  showAttached(planbot.chat.history());
})();
