// The chat page: sessions, the conversation (replies streamed over SSE), the brief panel and the
// plan preview with versions, diffs and downloads. All state lives on the server.
"use strict";

(() => {
  const { T, LANG, fmt, api, errorMessage, el, events } = planbot;
  const $ = (id) => document.getElementById(id);
  const ui = {
    sessions: $("session-list"), messages: $("messages"), status: $("status"), input: $("input"),
    send: $("send"), draft: $("draft"), hint: $("draft-hint"), brief: $("brief-panel"), plan: $("plan-panel"),
    tabBrief: $("tab-brief"), tabPlan: $("tab-plan"), version: $("version"), downloads: $("downloads"),
    diff: $("diff-list"), preview: $("preview"), newSession: $("new-session"),
  };
  const state = { session: null, language: LANG, missing: [], plan: null, versions: [], busy: false, history: null };

  // -- helpers ------------------------------------------------------------------------------------
  function setStatus(text) {
    ui.status.textContent = text || "";
  }

  function setBusy(busy) {
    state.busy = busy;
    ui.send.disabled = busy;
    ui.newSession.disabled = busy;
    ui.input.setAttribute("aria-busy", busy ? "true" : "false");
    updateDraftButton();
  }

  function updateDraftButton() {
    const ready = state.session && state.missing.length === 0;
    ui.draft.disabled = state.busy || !ready;
    const needed = [...ui.brief.querySelectorAll(".row.missing dt")].map((dt) => dt.textContent);
    ui.hint.textContent = ready ? T.draft_ready : needed.length ? fmt(T.draft_hint, { fields: needed.join(LANG === "zh" ? "、" : ", ") }) : "";
  }

  function addMessage(role, text) {
    const who = role === "user" ? T.you : T.assistant;
    const body = el("div", { className: "text", text });
    const item = el("li", { className: `message ${role}` }, el("span", { className: "who", text: who }), body);
    ui.messages.append(item);
    scrollDown();
    return item;
  }

  function scrollDown() {
    ui.messages.scrollTop = ui.messages.scrollHeight;
  }

  function showTab(name) {
    const plan = name === "plan";
    ui.tabBrief.setAttribute("aria-selected", String(!plan));
    ui.tabPlan.setAttribute("aria-selected", String(plan));
    ui.brief.hidden = plan;
    ui.plan.hidden = !plan;
  }

  // -- sessions -----------------------------------------------------------------------------------
  async function loadSessions() {
    const { ok, data } = await api("GET", "/v1/sessions");
    if (!ok) {
      setStatus(fmt(T.error_generic, { message: errorMessage(data) }));
      return [];
    }
    ui.sessions.replaceChildren(...data.map(sessionItem));
    return data;
  }

  function sessionItem(s) {
    const title = s.title || T.untitled;
    const open = el("button", { type: "button", className: "open", text: title, "aria-current": s.id === state.session ? "true" : null,
      onclick: () => openSession(s.id) });
    const rename = el("button", { type: "button", className: "icon", text: "✎", title: T.rename, "aria-label": `${T.rename}: ${title}`,
      onclick: () => startRename(item, s) });
    const remove = el("button", { type: "button", className: "icon", text: "×", title: T.delete, "aria-label": `${T.delete}: ${title}`,
      onclick: () => deleteSession(s) });
    const item = el("li", { "data-id": s.id }, open, rename, remove);
    return item;
  }

  function startRename(item, s) {
    const input = el("input", { type: "text", value: s.title || "", maxlength: "200", "aria-label": T.rename_label });
    let done = false;
    const finish = async (save) => {
      if (done) return;
      done = true;
      const title = input.value.trim();
      if (save && title && title !== s.title) {
        const { ok, data } = await api("PATCH", `/v1/sessions/${s.id}`, { title });
        if (!ok) setStatus(fmt(T.error_generic, { message: errorMessage(data) }));
      }
      await loadSessions();
    };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") finish(true);
      if (e.key === "Escape") finish(false);
    });
    input.addEventListener("blur", () => finish(true));
    item.replaceChildren(input);
    input.focus();
    input.select();
  }

  async function deleteSession(s) {
    if (!window.confirm(T.confirm_delete)) return;
    const { ok, data } = await api("DELETE", `/v1/sessions/${s.id}`);
    if (!ok) {
      setStatus(fmt(T.error_generic, { message: errorMessage(data) }));
      return;
    }
    const rest = await loadSessions();
    if (s.id === state.session) {
      if (rest.length) await openSession(rest[0].id);
      else await newSession();
    }
  }

  async function createSession() {
    const { ok, data } = await api("POST", "/v1/sessions", { language: LANG });
    if (!ok) {
      setStatus(fmt(T.error_generic, { message: errorMessage(data) }));
      return null;
    }
    return data.id;
  }

  async function newSession() {
    if (state.busy) return;
    setBusy(true);
    try {
      const id = await createSession();
      if (id) await loadSession(id);
    } finally {
      setBusy(false);
    }
  }

  async function openSession(id) {
    if (state.busy) return false;
    setBusy(true);
    try {
      return await loadSession(id);
    } finally {
      setBusy(false);
    }
  }

  async function loadSession(id) {
    const { ok, data } = await api("GET", `/v1/sessions/${id}`);
    if (!ok) return false;
    state.session = id;
    state.language = data.brief.language;
    localStorage.setItem("planbot.session", id);
    history.replaceState(null, "", `?s=${encodeURIComponent(id)}`);
    ui.messages.replaceChildren();
    for (const m of data.messages) addMessage(m.role, m.text);
    setStatus("");
    state.missing = data.missing;
    await Promise.all([loadBrief(), showPlan(data.plan, false), loadSessions()]);
    showTab(data.plan ? "plan" : "brief");
    // history.js shows the attached history (its file, with a remove button)
    state.history = data.brief.history || null;
    document.dispatchEvent(new CustomEvent("planbot:session", { detail: { id, history: state.history } }));
    return true;
  }

  // for history.js: the open conversation, and reloading it after a history is attached or removed
  planbot.chat = {
    session: () => state.session,
    history: () => state.history,
    busy: () => state.busy,
    setBusy,
    setStatus,
    reload: () => loadSession(state.session),
  };

  // -- the brief and the plan ----------------------------------------------------------------------
  async function loadBrief() {
    const response = await fetch(`/ui/sessions/${state.session}/brief`, { credentials: "same-origin" });
    if (response.ok) {
      // a server-rendered, autoescaped fragment from our own origin
      ui.brief.innerHTML = await response.text();
    }
    updateDraftButton();
  }

  async function showPlan(ref, focus) {
    state.plan = ref;
    ui.tabPlan.disabled = !ref;
    if (!ref) {
      ui.preview.removeAttribute("src");
      return;
    }
    const { ok, data } = await api("GET", `/v1/plans/${ref.id}/versions`);
    state.versions = ok ? data : [{ version: ref.version, diff: [] }];
    ui.version.replaceChildren(...state.versions.map((v) => el("option", { value: String(v.version), text: `v${v.version}` })));
    showVersion(ref.version);
    if (focus) showTab("plan");
  }

  function showVersion(version) {
    const { id } = state.plan;
    ui.version.value = String(version);
    const query = `?version=${version}`;
    ui.preview.src = `/plans/${id}/preview${query}`;
    for (const link of ui.downloads.querySelectorAll("a[data-format]")) {
      link.href = `/v1/plans/${id}/export/${link.dataset.format}${query}`;
    }
    const entry = state.versions.find((v) => v.version === version);
    const changes = entry ? entry.diff : [];
    ui.diff.replaceChildren(
      ...(changes.length
        ? changes.map((c) => el("li", { text: `${c.label}: ${c.before ?? "—"} → ${c.after ?? "—"}` }))
        : [el("li", { className: "empty", text: T.no_changes })]),
    );
  }

  // -- sending ----------------------------------------------------------------------------------------
  async function send(text) {
    if (state.busy || !text.trim() || !state.session) return;
    setBusy(true);
    const typed = ui.input.value;
    ui.input.value = "";
    const mine = addMessage("user", text);
    const reply = addMessage("assistant", "");
    reply.classList.add("pending");
    const body = reply.querySelector(".text");
    setStatus(T.thinking);
    const restore = (message) => {
      mine.remove();
      reply.remove();
      if (!ui.input.value) ui.input.value = typed || text;
      setStatus(message);
    };
    try {
      const response = await fetch(`/v1/sessions/${state.session}/messages`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream", "X-CSRF-Token": planbot.CSRF },
        body: JSON.stringify({ text }),
      });
      if (!response.ok) {
        const data = await response.json().catch(() => null);
        restore(fmt(T.error_generic, { message: errorMessage(data, response.status) }));
        return;
      }
      let finished = false;
      for await (const { event, data } of events(response)) {
        if (event === "progress") {
          if (data.section) setStatus(fmt(T.writing_section, { section: data.section }));
          else if (data.stage === "drafting") setStatus(T.drafting);
          else if (data.stage === "revising") setStatus(T.revising);
        } else if (event === "delta") {
          body.textContent += data.text;
          scrollDown();
        } else if (event === "done") {
          finished = true;
          await finish(data, body);
          reply.classList.remove("pending");
        } else if (event === "error") {
          restore(fmt(T.error_generic, { message: errorMessage(data) }));
          return;
        }
      }
      if (!finished) restore(T.error_network);
    } catch (err) {
      restore(T.error_network);
    } finally {
      setBusy(false);
    }
  }

  async function finish(turn, body) {
    body.textContent = turn.reply;
    scrollDown();
    setStatus("");
    state.missing = turn.missing;
    state.language = turn.brief.language;
    const previous = state.plan;
    const changed = turn.plan && (!previous || previous.id !== turn.plan.id || previous.version !== turn.plan.version);
    await Promise.all([loadBrief(), loadSessions(), changed ? showPlan(turn.plan, true) : Promise.resolve()]);
  }

  // -- wiring ---------------------------------------------------------------------------------------
  $("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    send(ui.input.value);
  });
  ui.input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      send(ui.input.value);
    }
  });
  ui.draft.addEventListener("click", () => send(state.language === "zh" ? "生成方案" : "draft the plan"));
  ui.newSession.addEventListener("click", newSession);
  ui.tabBrief.addEventListener("click", () => showTab("brief"));
  ui.tabPlan.addEventListener("click", () => showTab("plan"));
  ui.version.addEventListener("change", () => showVersion(Number(ui.version.value)));

  // the first load: the conversation in the address, else the last one used here, else the latest, else a new one
  (async () => {
    setBusy(true);
    try {
      const sessions = await loadSessions();
      const known = (id) => id && sessions.some((s) => s.id === id);
      const wanted = [new URLSearchParams(location.search).get("s"), localStorage.getItem("planbot.session")];
      const id = wanted.find(known) || (sessions.length ? sessions[0].id : await createSession());
      if (id) await loadSession(id);
    } finally {
      setBusy(false);
      ui.input.focus();
    }
  })();
})();
