// The knowledge page: upload guides (drag-and-drop; per file the upload's progress, then indexing,
// then the result), list and remove your own uploads, search with the cited passages.
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

  // XMLHttpRequest because fetch() cannot report upload progress. The bar shows the bytes sent; once
  // they are all there the server indexes the file (searches and drafts keep answering meanwhile) and
  // streams how many of its passages are embedded (server-sent events, read as they arrive), so the
  // bar goes on filling for a 100-page PDF; the last event carries the document, or the error.
  function sseBlocks(text) {
    // complete blocks only: the last one may still be arriving
    const blocks = text.replace(/\r\n?/g, "\n").split("\n\n").slice(0, -1);
    return blocks.filter((block) => block.trim()).map((block) => {
      const lines = block.split("\n");
      const name = (lines.find((l) => l.startsWith("event:")) || "event: message").slice(6).trim();
      const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
      return { name, data };
    });
  }

  function upload(file) {
    const bar = el("progress", { max: "100", value: "0", "aria-label": file.name });
    // the percentage is for the eye (the bar carries it for assistive technology): not announced each step
    const percent = el("span", { className: "percent", "aria-hidden": "true", text: " 0%" });
    const result = el("span", { className: "result" }, T.uploading, percent);
    const item = el("li", { "aria-busy": "true" }, el("span", { className: "name", text: file.name }), bar, result);
    $("uploads").append(item);
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/v1/knowledge/documents");
      xhr.setRequestHeader("X-CSRF-Token", CSRF);
      xhr.setRequestHeader("Accept", "text/event-stream");
      xhr.upload.addEventListener("progress", (e) => {
        if (!e.lengthComputable) return;
        const value = Math.round((100 * e.loaded) / e.total);
        bar.value = value;
        percent.textContent = ` ${value}%`;
      });
      xhr.upload.addEventListener("load", () => {
        bar.removeAttribute("value"); // indeterminate until the first passages are embedded
        result.textContent = T.indexing;
      });
      xhr.addEventListener("progress", () => {
        const last = sseBlocks(xhr.responseText).filter((e) => e.name === "progress").pop();
        if (!last) return;
        const { done, total } = JSON.parse(last.data);
        bar.max = Math.max(1, total);
        bar.value = done;
        result.textContent = fmt(T.indexing_progress, { done, total });
      });
      xhr.addEventListener("load", () => {
        let data = null;
        let ok = false;
        if (xhr.status === 200) {
          const last = sseBlocks(xhr.responseText).filter((e) => e.name === "done" || e.name === "error").pop();
          ok = Boolean(last && last.name === "done");
          try {
            data = last ? JSON.parse(last.data) : null;
          } catch {
            data = null;
          }
        } else {
          try {
            data = JSON.parse(xhr.responseText);
          } catch {
            data = null;
          }
        }
        bar.max = 100;
        bar.value = 100;
        item.removeAttribute("aria-busy");
        if (ok) {
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
        item.removeAttribute("aria-busy");
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

  async function search(query, source) {
    const hits = $("hits");
    const only = source ? `&source=${source}` : "";
    const { ok, data } = await api("GET", `/v1/knowledge/search?k=5&q=${encodeURIComponent(query)}${only}`);
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
      el("small", { text: ` ${T["source_" + h.source]} · ${h.chunk_id} · ${T.score} ${h.score.toFixed(3)}` }),
      passage(h.text))));
  }

  // a chunk starts with its Markdown heading (a passage of merged small sections has several):
  // show each as a heading, not as "## ..."
  function passage(text) {
    const quote = el("blockquote");
    text.split("\n").forEach((line, i) => {
      if (i > 0) quote.append(el("br"));
      const heading = line.match(/^#{1,6}\s+(.*)$/);
      quote.append(heading ? el("strong", { text: heading[1] }) : line);
    });
    return quote;
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
    search($("q").value, $("source").value);
  });
  loadDocuments();
})();
