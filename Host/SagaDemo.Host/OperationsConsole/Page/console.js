// SagaDemo operations console: plain JS over the API (GET /operations, /operations/{id}/timeline, /dead-letters,
// POST /dead-letters/.../replay|discard) and the process's own /metrics. No build step, no library.
"use strict";

const $ = (selector) => document.querySelector(selector);
const pageSize = 20;
const state = { offset: 0, total: 0, selected: null, view: "operations", renderedOperations: null, renderedTimeline: null };

// Builds an element; strings become text nodes, so nothing from the API is ever parsed as HTML.
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// A step's trace id, a link into the trace UI when the host names one (Console:TraceUrl); only http(s) links.
function traceOf(step) {
  if (!step.traceId) return null;
  const label = ` trace ${step.traceId}`;
  return step.traceUrl && /^https?:\/\//.test(step.traceUrl)
    ? el("a", { class: "mono trace", href: step.traceUrl, target: "_blank", rel: "noopener" }, label)
    : el("span", { class: "mono trace" }, label);
}

function say(text, isError) {
  const status = $("#status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

const credentials = $("#credentials");
credentials.value = sessionStorage.getItem("sagademo-credentials") || "";
credentials.addEventListener("change", () => {
  sessionStorage.setItem("sagademo-credentials", credentials.value);
  refresh();
});

async function api(path, options) {
  const headers = { Accept: "application/json" };
  const secret = credentials.value.trim();
  if (secret.startsWith("Bearer ")) headers.Authorization = secret;
  else if (secret) headers["X-Api-Key"] = secret;
  const response = await fetch(path, { ...options, headers });
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const detail = body && (body.detail || body.title || (body.errors && JSON.stringify(body.errors))) || response.statusText;
    throw new Error(`${response.status}: ${detail}`);
  }
  return body;
}

const time = (iso) => iso ? new Date(iso).toISOString().replace("T", " ").replace("Z", "") : "";
const ms = (value) => value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`;
const localToIso = (value) => value ? new Date(value).toISOString() : "";

// ---- operations ----

function filterQuery() {
  const form = new FormData($("#filters"));
  const query = new URLSearchParams();
  for (const name of ["type", "status", "id"]) if (form.get(name)) query.set(name, form.get(name).trim().toLowerCase());
  for (const name of ["from", "to"]) if (form.get(name)) query.set(name, localToIso(form.get(name)));
  query.set("offset", state.offset);
  query.set("limit", pageSize);
  return query;
}

async function loadOperations() {
  const page = await api(`/operations?${filterQuery()}`);
  state.total = page.total;
  // Live refresh redraws only what changed, so a row is not replaced under the pointer.
  const key = JSON.stringify([page, state.selected]);
  if (key === state.renderedOperations) return;
  state.renderedOperations = key;
  const rows = page.items.map((op) => el("tr", {
      class: "clickable" + (op.id === state.selected ? " selected" : ""), "data-id": op.id,
      onclick: () => { state.selected = op.id; loadTimeline(); loadOperations(); },
    },
    el("td", { class: "mono" }, op.id),
    el("td", {}, op.type),
    el("td", { class: `status-${op.status}` }, op.status),
    el("td", {}, time(op.createdAt)),
    el("td", {}, op.status === "pending" ? "" : ms(new Date(op.updatedAt) - new Date(op.createdAt))),
    el("td", {}, op.error || "")));
  $("#operations tbody").replaceChildren(...rows);
  $("#page").textContent = page.total === 0 ? "no operations" : `${page.offset + 1}–${page.offset + page.items.length} of ${page.total}`;
  $("#prev").disabled = state.offset === 0;
  $("#next").disabled = page.nextOffset === null;
}

async function loadTimeline() {
  if (!state.selected) return;
  const timeline = await api(`/operations/${state.selected}/timeline`);
  const key = JSON.stringify(timeline);
  if (key === state.renderedTimeline) return;
  state.renderedTimeline = key;
  const op = timeline.operation;
  const sagas = timeline.sagas.map((saga) => el("section", { class: "saga", "data-saga": saga.saga },
    el("h3", {}, `${saga.saga} saga: ${saga.currentState}`),
    el("ol", {}, saga.transitions.map((step) => el("li", { class: "step", "data-state": step.to },
      el("strong", {}, `${step.from} → ${step.to}`), ` on ${step.event} at ${time(step.at)} `,
      el("span", { class: "since" }, `(+${ms(step.sincePreviousMs)})`),
      step.topic ? el("span", { class: "mono" }, ` ${step.topic}/${step.partition}@${step.offset}`) : null,
      traceOf(step))))));
  const none = timeline.sagas.length === 0
    ? el("p", {}, timeline.sagasInProcess.length === 0
        ? "No saga runs in this process (its roles run elsewhere), so there are no steps to show."
        : "No saga instance holds this operation (yet).")
    : null;
  const article = $("#timeline");
  article.replaceChildren(...[
    el("h2", {}, "Operation ", el("span", { class: "mono" }, op.id)),
    el("p", {}, `${op.type}, `, el("span", { class: `status-${op.status}` }, op.status),
      `, created ${time(op.createdAt)}, updated ${time(op.updatedAt)}`),
    op.error ? el("p", { class: "status-failed" }, `Failure: ${op.error}`) : null,
    op.result ? el("pre", {}, JSON.stringify(op.result)) : null,
    none, ...sagas].filter((node) => node !== null));
  article.hidden = false;
}

$("#filters").addEventListener("submit", (event) => { event.preventDefault(); state.offset = 0; refresh(); });
$("#prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - pageSize); refresh(); });
$("#next").addEventListener("click", () => { state.offset += pageSize; refresh(); });

// ---- dead letters ----

async function loadDeadLetters() {
  const topic = new FormData($("#dead-letter-filter")).get("topic");
  const list = await api(`/dead-letters${topic ? `?topic=${encodeURIComponent(topic)}` : ""}`);
  const select = $("#dead-letter-filter select");
  if (select.options.length === 1)
    select.append(...list.topics.map((t) => el("option", {}, t)));
  const rows = list.records.map((r) => {
    const id = `${r.topic}/${r.partition}@${r.offset}`;
    const path = `/dead-letters/${encodeURIComponent(r.topic)}/${r.partition}/${r.offset}`;
    const decision = r.decision
      ? `${r.decision.action === "replay" ? "replayed" : "discarded"} by ${r.decision.by} at ${time(r.decision.at)}` +
        (r.decision.replayedTo ? ` → ${r.decision.replayedTo}` : "")
      : "";
    return el("tr", { class: "dead-letter", "data-record": id },
      el("td", { class: "mono" }, id),
      el("td", {}, time(r.timestamp)),
      el("td", { class: "mono" }, `${r.originalTopic}/${r.originalPartition}@${r.originalOffset}`, el("br"), r.consumerGroup || ""),
      el("td", {}, r.reason || "", r.omitted ? el("p", {}, r.omitted) : null),
      el("td", {}, el("div", { class: "mono" }, `key: ${r.key ?? "(none)"}`), el("pre", { class: "value" }, r.value),
        el("details", {}, el("summary", {}, `${r.headers.length} headers`),
          el("pre", {}, r.headers.map((h) => `${h.name}: ${h.value}`).join("\n")))),
      el("td", { class: "decision" }, decision),
      el("td", {}, r.decision ? null : [
        el("button", { class: "replay", onclick: () => act(path, "replay", id) }, "Replay"),
        el("button", { class: "discard", onclick: () => act(path, "discard", id) }, "Discard"),
      ]));
  });
  $("#dead-letters tbody").replaceChildren(...rows);
  if (rows.length === 0) $("#dead-letters tbody").append(el("tr", {}, el("td", { colspan: 7 }, "No dead letters.")));
}

async function act(path, action, id) {
  const question = action === "replay"
    ? `Replay ${id}? Its original record is produced once more to its original topic.`
    : `Discard ${id}? It is marked as not to be replayed.`;
  if (!confirm(question)) return;
  try {
    const result = await api(`${path}/${action}`, { method: "POST" });
    say(`${id}: ${action} ${result.outcome}`);
  } catch (error) {
    say(`${id}: ${error.message}`, true);
  }
  await loadDeadLetters();
}

$("#dead-letter-filter").addEventListener("submit", (event) => { event.preventDefault(); refresh(); });

// ---- metrics at a glance, from the process's own /metrics ----

const history = { consumed: [], finished: [], failed: [], dead: [], lag: [] };
let previous = null;

function sum(text, name, filter) {
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) continue;
    if (filter && !line.includes(filter)) continue;
    total += Number(line.slice(line.lastIndexOf(" ") + 1)) || 0;
  }
  return total;
}

function plot(id, values) {
  const max = Math.max(1, ...values);
  const points = values.map((v, i) => `${(i * 120) / Math.max(1, values.length - 1)},${30 - (v / max) * 28}`).join(" ");
  $(id).replaceChildren(document.createElementNS("http://www.w3.org/2000/svg", "polyline"));
  $(id).firstChild.setAttribute("points", points);
}

async function loadMetrics() {
  const response = await fetch("/metrics");
  if (!response.ok) return;
  const text = await response.text();
  const now = {
    at: Date.now(),
    consumed: sum(text, "sagademo_kafka_records_consumed_total"),
    finished: sum(text, "sagademo_operations_completed_total"),
    failed: sum(text, "sagademo_operations_completed_total", 'status="failed"'),
    dead: sum(text, "sagademo_kafka_dead_letters_total"),
    lag: sum(text, "kafka_consumergroup_lag"),
  };
  if (previous) {
    const seconds = Math.max(0.001, (now.at - previous.at) / 1000);
    const sample = {
      consumed: (now.consumed - previous.consumed) / seconds,
      finished: (now.finished - previous.finished) / seconds,
      failed: now.failed, dead: now.dead, lag: now.lag,
    };
    for (const [name, value] of Object.entries(sample)) {
      history[name].push(value);
      if (history[name].length > 60) history[name].shift();
      $(`#m-${name}`).textContent = Number.isInteger(value) ? value : value.toFixed(1);
      plot(`#p-${name}`, history[name]);
    }
  }
  previous = now;
}

// ---- views and refresh ----

document.querySelectorAll(".tab").forEach((tab) => tab.addEventListener("click", () => {
  state.view = tab.dataset.view;
  document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t === tab));
  $("#view-operations").hidden = state.view !== "operations";
  $("#view-dead-letters").hidden = state.view !== "dead-letters";
  refresh();
}));

async function refresh() {
  try {
    if (state.view === "operations") {
      await loadOperations();
      await loadTimeline();
    } else {
      await loadDeadLetters();
    }
    say(`updated ${new Date().toLocaleTimeString()}`);
  } catch (error) {
    say(error.message, true);
  }
}

setInterval(() => { if ($("#live").checked && state.view === "operations") refresh(); }, 2000);
setInterval(() => loadMetrics().catch(() => {}), 2000);
loadMetrics().catch(() => {});
refresh();
