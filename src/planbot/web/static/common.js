// Shared by the pages: UI text, the CSRF token, JSON calls to the REST API, element building.
// Everything a user, a guide or a model wrote goes into the page as text nodes, never as HTML.
"use strict";

const planbot = (() => {
  const T = JSON.parse(document.getElementById("ui-text").textContent);
  const CSRF = document.querySelector('meta[name="csrf-token"]').content;
  const LANG = document.documentElement.lang.startsWith("zh") ? "zh" : "en";

  function fmt(template, vars) {
    return template.replace(/\{(\w+)\}/g, (m, key) => (key in vars ? String(vars[key]) : m));
  }

  function errorMessage(data, status) {
    return (data && data.error && data.error.message) || `HTTP ${status}`;
  }

  // -> {ok, status, data}; never throws for HTTP errors (the body says what went wrong)
  async function api(method, url, body) {
    const headers = { Accept: "application/json", "X-CSRF-Token": CSRF };
    const init = { method, headers, credentials: "same-origin" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    let data = null;
    if (response.status !== 204) {
      const text = await response.text();
      try {
        data = text ? JSON.parse(text) : null;
      } catch {
        data = { error: { message: text.slice(0, 200) } };
      }
    }
    return { ok: response.ok, status: response.status, data };
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "className") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) node.append(child);
    return node;
  }

  // Server-sent events from a fetch() response body (EventSource cannot POST).
  async function* events(response) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        if (data.length) yield { event: name, data: JSON.parse(data.join("\n")) };
      }
    }
  }

  return { T, CSRF, LANG, fmt, api, errorMessage, el, events };
})();
