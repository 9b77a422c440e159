// The agent console: login, the queue, one ticket at a time. Polls every 2 s.
// Every text from the server is shown with textContent: nothing is interpreted.
"use strict";

const POLL_MS = 2000;
const state = { csrf: sessionStorage.getItem("csrf"), agent: null, ticketId: null };
const $ = (id) => document.getElementById(id);
const CHANNELS = {
  rest: "API", socketio: "widget", twilio_signed: "SMS / WhatsApp",
  telegram_secret: "Telegram", messenger_signed: "Messenger",
};
const STATES = { waiting: "en attente", claimed: "pris en charge", closed: "clos" };
const WHO = { customer: "Client", assistant: "Assistant", agent: "Conseiller" };
const REFUSALS = {
  too_soon: "trop proche (au moins 4 jours après aujourd'hui)",
  too_late: "trop tard (plus de 59 jours après la souscription)",
  sunday: "un dimanche", public_holiday: "un jour férié", same_date: "la même date",
  deadline_passed: "moins de 4 jours avant la portabilité",
};

async function api(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (method !== "GET" && state.csrf) headers["X-CSRF-Token"] = state.csrf;
  const response = await fetch(path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (response.status === 401 && path !== "/api/login") showLogin();
  if (!response.ok) throw new Error(data.error || `Erreur ${response.status}`);
  return data;
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function when(iso) {
  return new Date(iso).toLocaleString("fr-FR", { dateStyle: "short", timeStyle: "short" });
}

function showLogin() {
  state.agent = null;
  sessionStorage.removeItem("csrf");
  $("login-view").hidden = false;
  $("desk").hidden = true;
  $("who").hidden = true;
}

function showDesk() {
  $("login-view").hidden = true;
  $("desk").hidden = false;
  $("who").hidden = false;
  $("agent-name").textContent = `${state.agent.name} (${state.agent.role === "supervisor" ? "superviseur" : "conseiller"})`;
  refresh();
  refreshAgents().catch(() => {});
  refreshStats().catch(() => {});
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  $("login-error").textContent = "";
  try {
    const data = await api("POST", "/api/login", {
      email: form.email.value, password: form.password.value,
    });
    state.csrf = data.csrf_token;
    sessionStorage.setItem("csrf", state.csrf);
    state.agent = data.agent;
    form.password.value = "";
    showDesk();
  } catch (error) {
    $("login-error").textContent = error.message;
  }
});

$("logout").addEventListener("click", async () => {
  await api("POST", "/api/logout").catch(() => {});
  showLogin();
});

function ticketItem(ticket) {
  const item = el("li");
  const button = el("button", "", "ticket-link");
  button.type = "button";
  const kind = ticket.kind === "callback" ? "Rappel" : CHANNELS[ticket.channel] || ticket.channel;
  button.append(el("strong", `#${ticket.id} · ${kind}`), el("span", ticket.reason_label));
  const wait = ticket.callback ? ticket.callback.label : `${ticket.wait_minutes} min d'attente`;
  button.append(el("small", ticket.state === "closed" ? ticket.outcome || "" : wait));
  if (ticket.id === state.ticketId) button.classList.add("current");
  button.addEventListener("click", () => { state.ticketId = ticket.id; refresh(); });
  item.append(button);
  return item;
}

async function refreshLists() {
  for (const name of ["waiting", "claimed", "closed"]) {
    const list = await api("GET", `/api/tickets?state=${name}`);
    $(name).replaceChildren(...list.map(ticketItem));
    if (name === "waiting") $("waiting-count").textContent = `(${list.length})`;
  }
}

async function refreshStats() {
  const figures = await api("GET", "/api/stats");
  const box = $("stats");
  const counts = Object.entries(figures.per_reason);
  const top = Math.max(1, ...counts.map(([, n]) => n));
  const rows = counts.map(([reason, n]) => {
    const row = el("div", "", "bar-row");
    const bar = el("span", "", "bar");
    bar.style.width = `${Math.round((100 * n) / top)}%`;
    row.append(el("span", figures.labels[reason], "bar-label"), bar, el("span", String(n)));
    return row;
  });
  const median = figures.median_wait_minutes === null ? "—" : `${figures.median_wait_minutes} min`;
  box.replaceChildren(...rows, el("p", `Attente médiane : ${median}`, "meta"));
}

async function refreshTicket() {
  if (state.ticketId === null) return;
  const ticket = await api("GET", `/api/tickets/${state.ticketId}`);
  $("no-ticket").hidden = true;
  $("ticket-view").hidden = false;
  const kind = ticket.kind === "callback" ? "Rappel téléphonique" : `Conversation ${CHANNELS[ticket.channel] || ticket.channel}`;
  $("ticket-title").textContent = `#${ticket.id} · ${kind} · ${ticket.reason_label}`;
  const holder = ticket.agent ? ` · ${ticket.agent.name}` : "";
  $("ticket-meta").textContent = `Créé le ${when(ticket.created_at)} · ${STATES[ticket.state]}${holder}`;
  $("ticket-summary").textContent = (ticket.summary && ticket.summary.text) || "";
  $("ticket-callback").hidden = !ticket.callback;
  if (ticket.callback) {
    $("ticket-callback").textContent = `À rappeler au ${ticket.callback.number}, ${ticket.callback.label}.`;
  }
  const mine = ticket.state === "claimed" && ticket.agent && ticket.agent.id === state.agent.id;
  $("claim").hidden = ticket.state !== "waiting";
  $("handback").hidden = !mine || ticket.kind !== "chat";
  $("close-box").hidden = !mine;
  $("reply-form").hidden = !mine || ticket.kind !== "chat";
  $("assign-box").hidden = state.agent.role !== "supervisor" || ticket.state === "closed";
  const box = $("transcript");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const grew = box.childElementCount !== ticket.transcript.length;
  box.replaceChildren(...ticket.transcript.map((line) => {
    const item = el("li", "", `from-${line.from}`);
    item.append(el("span", `${WHO[line.from]} · ${when(line.at)}`, "who"), el("p", line.text));
    return item;
  }));
  // Follow the conversation unless the agent scrolled up to read.
  if (grew && atBottom) box.scrollTop = box.scrollHeight;
  $("notes").replaceChildren(...ticket.notes.map((note) => el("li", `${note.agent || ""} · ${when(note.at)} : ${note.text}`)));
  await refreshCustomer(mine);
}

async function refreshCustomer(mine) {
  const file = await api("GET", `/api/tickets/${state.ticketId}/customer`);
  const box = $("customer");
  if (!file.verified) {
    box.replaceChildren(el("p", "Numéro non vérifié par SMS : aucun dossier à afficher."));
    $("porting-form").hidden = true;
    return;
  }
  const parts = [el("p", `Numéro vérifié : ${file.number}`)];
  const porting = file.porting;
  if (porting) {
    parts.push(el("p", `Portabilité (${porting.order_id}) : ${porting.status === "scheduled" ? "prévue" : porting.status === "completed" ? "effectuée" : "annulée"} le ${porting.date}, ${porting.slot}.`));
    if (porting.why_not) parts.push(el("p", `Modification impossible : ${REFUSALS[porting.why_not] || porting.why_not}.`, "meta"));
    $("new-date").min = porting.window[0];
    $("new-date").max = porting.window[1];
  }
  for (const order of file.orders) {
    parts.push(el("p", `Commande ${order.id} : ${order.status}${order.missing ? ` (manque ${order.missing})` : ""}.`));
  }
  box.replaceChildren(...parts);
  $("porting-form").hidden = !mine || !porting || porting.status !== "scheduled";
}

async function refreshAgents() {
  if (state.agent.role !== "supervisor") return;
  const list = await api("GET", "/api/agents");
  $("assign-to").replaceChildren(...list.filter((a) => a.active).map((a) => {
    const option = el("option", a.name);
    option.value = a.email;
    return option;
  }));
}

async function refresh() {
  if (!state.agent) return;
  try {
    await refreshLists();
    await refreshTicket();
  } catch (error) {
    $("ticket-error").textContent = error.message;
  }
}

async function act(path, body) {
  $("ticket-error").textContent = "";
  try {
    const answer = await api("POST", `/api/tickets/${state.ticketId}/${path}`, body);
    await refresh();
    return answer;
  } catch (error) {
    $("ticket-error").textContent = error.message;
    return null;
  }
}

$("claim").addEventListener("click", () => act("claim"));
$("handback").addEventListener("click", () => act("handback"));
$("close").addEventListener("click", () => act("close", { outcome: $("outcome").value }));
$("assign").addEventListener("click", () => act("assign", { agent: $("assign-to").value }));
$("reply-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("reply").value.trim();
  if (text && await act("messages", { text })) $("reply").value = "";
});
$("note-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("note").value.trim();
  if (text && await act("notes", { text })) $("note").value = "";
});
$("porting-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const answer = await act("porting", { action: "change", date: $("new-date").value, request_id: crypto.randomUUID() });
  if (answer) showPortingResult(answer);
});
$("cancel-porting").addEventListener("click", async () => {
  if (!window.confirm("Annuler la portabilité de ce client ?")) return;
  const answer = await act("porting", { action: "cancel", request_id: crypto.randomUUID() });
  if (answer) showPortingResult(answer);
});

function showPortingResult(answer) {
  const messages = {
    applied: "C'est fait : le client reçoit le SMS de confirmation.",
    already_applied: "Cette demande était déjà appliquée.",
    refused: `Refusé : ${REFUSALS[answer.reason] || answer.reason}.`,
    no_porting: "Aucune portabilité pour ce numéro.",
    not_scheduled: "Cette portabilité n'est plus prévue.",
  };
  $("ticket-error").textContent = messages[answer.outcome] || answer.outcome;
}

async function start() {
  try {
    state.agent = await api("GET", "/api/me");
    showDesk();
  } catch {
    showLogin();
  }
  setInterval(refresh, POLL_MS);
  setInterval(() => state.agent && refreshStats().catch(() => {}), 30000);
}

start();
