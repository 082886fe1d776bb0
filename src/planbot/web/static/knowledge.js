// The knowledge page: upload guides (drag-and-drop, progress and result per file), list and remove
// your own uploads, search with the cited passages.
"use strict";

(() => {
  const { T, CSRF, fmt, api, errorMessage, el } = planbot;
  const $ = (id) => document.getElementById(id);
  const drop = $("dropzone");
  const picker = $("files");

  async function loadDocuments() {
    const { ok, data } = await api("GET", "/v1/knowledge/documents");
    if (!ok) return;
    const rows = data.map((d) => {
      const remove = d.mine
        ? el("button", { type: "button", text: T.remove, "aria-label": `${T.remove}: ${d.title}`, onclick: () => removeDocument(d) })
        : "";
      return el("tr", { "data-id": d.id },
        el("td", {}, el("span", { text: d.title }), el("small", { className: "doc-id", text: d.id })),
        el("td", { text: d.lang || "" }),
        el("td", { text: String(d.chunks) }),
        el("td", { text: d.mine ? T.yours : "—" }),
        el("td", {}, remove));
    });
    $("docs").tBodies[0].replaceChildren(...rows);
  }

  async function removeDocument(d) {
    if (!window.confirm(fmt(T.confirm_remove, { title: d.title }))) return;
    const { ok, data } = await api("DELETE", `/v1/knowledge/documents/${encodeURIComponent(d.id)}`);
    if (!ok) window.alert(errorMessage(data));
    await loadDocuments();
  }

  // XMLHttpRequest because fetch() cannot report upload progress
  function upload(file) {
    const bar = el("progress", { max: "100", value: "0", "aria-label": file.name });
    const result = el("span", { className: "result" });
    const item = el("li", {}, el("span", { className: "name", text: file.name }), bar, result);
    $("uploads").append(item);
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/v1/knowledge/documents");
      xhr.setRequestHeader("X-CSRF-Token", CSRF);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
      });
      xhr.addEventListener("load", () => {
        let data = null;
        try {
          data = JSON.parse(xhr.responseText);
        } catch {
          data = null;
        }
        bar.value = 100;
        if (xhr.status === 201) {
          const key = { added: "uploaded", updated: "updated" }[data.status] || "unchanged";
          result.textContent = fmt(T[key], { chunks: data.chunks });
          item.classList.add("ok");
        } else {
          result.textContent = fmt(T.upload_failed, { message: errorMessage(data, xhr.status) });
          item.classList.add("failed");
        }
        resolve();
      });
      xhr.addEventListener("error", () => {
        result.textContent = fmt(T.upload_failed, { message: T.error_network });
        item.classList.add("failed");
        resolve();
      });
      const form = new FormData();
      form.append("file", file, file.name);
      xhr.send(form);
    });
  }

  async function uploadAll(files) {
    for (const file of files) await upload(file);
    await loadDocuments();
  }

  async function search(query) {
    const hits = $("hits");
    const { ok, data } = await api("GET", `/v1/knowledge/search?k=5&q=${encodeURIComponent(query)}`);
    if (!ok) {
      hits.replaceChildren(el("li", { className: "failed", text: errorMessage(data) }));
      return;
    }
    if (!data.hits.length) {
      hits.replaceChildren(el("li", { className: "empty", text: T.no_hits }));
      return;
    }
    hits.replaceChildren(...data.hits.map((h) => el("li", { className: "hit" },
      el("cite", { text: h.title }),
      el("small", { text: ` ${h.chunk_id} · ${T.score} ${h.score.toFixed(3)}` }),
      passage(h.text))));
  }

  // a chunk starts with its Markdown heading: show it as a heading, not as "## ..."
  function passage(text) {
    const [first, ...rest] = text.split("\n");
    const heading = first.match(/^#{1,6}\s+(.*)$/);
    if (!heading) return el("blockquote", { text });
    return el("blockquote", {}, el("strong", { text: heading[1] }), el("br"), rest.join("\n").trim());
  }

  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    uploadAll([...e.dataTransfer.files]);
  });
  picker.addEventListener("change", () => {
    uploadAll([...picker.files]);
    picker.value = "";
  });
  $("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    search($("q").value);
  });
  loadDocuments();
})();
