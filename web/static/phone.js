// The phone page of a PMOStep workshop: join by code, answer the activity on the screen, see revealed results.
// Everything from the server or the person is written with textContent, never parsed as markup: a text
// is never read as HTML. The token lives in an HttpOnly cookie and, for browsers that drop cookies, in
// localStorage; the server's events (EventSource) reconnect by themselves, and a woken phone asks for the
// state again.
"use strict";

(() => {
  const STORE = "pmostep-workshop";
  const MAX_TEXT = 280;
  const SAVED = "Answer saved — you can change it until the round locks";
  const KIND_NAMES = {
    recap: "Recap", rating: "Rating", ranking: "Ranking", points: "Points", dots: "Dot voting",
    matrix: "Value and effort", text: "Open question",
  };
  const $ = (id) => document.getElementById(id);
  const me = { code: null, token: null, group: null, answers: {} };
  let view = null;
  let shownKey = null;
  let events = null;
  let ticker = null;

  class Refusal extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  // --- small helpers -----------------------------------------------------------------------------------
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    node.append(...children.filter((c) => c !== null && c !== undefined));   // strings become text nodes
    return node;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const people = (n) => `${n} ${n === 1 ? "person" : "people"}`;
  const percent = (share) => `${Math.round(share * 100)} %`;

  function requestId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // Over plain http on a local network randomUUID is missing (secure contexts only); getRandomValues is not.
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function loadStored() {
    try {
      return JSON.parse(localStorage.getItem(STORE)) || {};
    } catch {
      return {};
    }
  }

  function store() {
    try {
      localStorage.setItem(STORE, JSON.stringify(me));
    } catch {
      // private browsing: the cookie still carries the token
    }
  }

  function status(text, problem = false) {
    const line = $("status");
    line.textContent = text;
    line.classList.toggle("problem", problem);
  }

  function show(screen) {
    for (const id of ["join-screen", "group-screen", "activity-screen"]) $(id).hidden = id !== screen;
  }

  async function request(path, body) {
    const options = body === undefined ? { cache: "no-store", credentials: "same-origin" } : {
      method: "POST", cache: "no-store", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    };
    const response = await fetch(path, options);
    let data = {};
    try {
      data = await response.json();
    } catch {
      // an answer without JSON: its status says enough
    }
    if (!response.ok) throw new Refusal(response.status, data.error || `The server answered ${response.status}`);
    return data;
  }

  const stateUrl = (code) => `/api/workshop/state?c=${encodeURIComponent(code)}`;

  // --- joining -----------------------------------------------------------------------------------------
  async function checkCode(code) {
    status("Looking for the workshop…");
    try {
      const found = await request(stateUrl(code));
      status("");
      if (found.groups && found.groups.length) chooseGroup(code, found);
      else await join(code, null);
    } catch (error) {
      show("join-screen");
      status(error instanceof Refusal ? error.message : "No connection: check your network and try again", true);
    }
  }

  function chooseGroup(code, found) {
    const box = $("groups");
    box.replaceChildren();
    const options = [[null, "Prefer not to say"], ...found.groups.map((g) => [g, g])];
    options.forEach(([value, label], i) => {
      const id = `group-${i}`;
      box.append(el("div", { class: "choice" },
        el("input", { type: "radio", name: "group", id, value: value === null ? "" : value, checked: i === 0 }),
        el("label", { for: id, text: label })));
    });
    $("group-title").textContent = `Your stakeholder group in ${found.workshop}`;
    $("group-form").onsubmit = (event) => {
      event.preventDefault();
      const picked = box.querySelector("input:checked");
      join(code, picked && picked.value ? picked.value : null);
    };
    show("group-screen");
  }

  async function join(code, group, token = null) {
    status("Joining…");
    try {
      const joined = await request("/api/workshop/join", { code, group, token });
      const same = me.code === code;
      Object.assign(me, { code, token: joined.token, group, answers: same ? me.answers : {} });
      store();
      status("");
      show("activity-screen");
      render(joined.view);
      listen();
    } catch (error) {
      if (token && error instanceof Refusal && error.status === 404) forget();
      show("join-screen");
      status(error instanceof Refusal ? error.message : "No connection: check your network and try again", true);
    }
  }

  function forget() {
    Object.assign(me, { code: null, token: null, group: null, answers: {} });
    store();
  }

  // --- live updates ------------------------------------------------------------------------------------
  function listen() {
    if (events) events.close();
    let opened = false;
    events = new EventSource(`/api/workshop/events?c=${encodeURIComponent(me.code)}`);
    events.addEventListener("state", (event) => render(JSON.parse(event.data)));
    events.addEventListener("ended", ended);
    events.addEventListener("open", () => {
      if (opened) refresh();        // back after a gap: the state may have moved meanwhile
      opened = true;
      $("offline").hidden = true;
    });
    events.addEventListener("error", () => {
      $("offline").hidden = false;
      if (events.readyState === EventSource.CLOSED) setTimeout(refresh, 3000);   // refused: ask why
    });
  }

  let retryIn = 3000;
  async function refresh() {
    if (!me.code) return;
    try {
      render(await request(stateUrl(me.code)));
      retryIn = 3000;
      if (!events || events.readyState === EventSource.CLOSED) listen();
    } catch (error) {
      if (error instanceof Refusal && error.status === 404) {
        ended();
        return;
      }
      setTimeout(refresh, retryIn);     // refused for now (429) or offline: try again, less and less often
      retryIn = Math.min(retryIn * 2, 30000);
    }
  }

  function ended() {
    if (events) events.close();
    events = null;
    forget();
    clearInterval(ticker);
    shownKey = "ended";
    const screen = $("activity-screen");
    screen.replaceChildren(el("h1", { text: "The workshop has ended" }), el("p", { text: "Thank you for taking part." }));
    show("activity-screen");
    $("room").hidden = true;
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && me.code && shownKey !== "ended") refresh();
  });

  // --- drawing the state -------------------------------------------------------------------------------
  function render(next) {
    if (!next) return ended();
    view = next;
    const room = $("room");
    room.hidden = false;
    room.textContent = `${next.workshop} · ${people(next.joined)} joined`;
    const a = next.activity;
    const key = a ? [a.id, a.round, a.state, a.results ? "shown" : ""].join(":") : "waiting";
    if (key === shownKey) return counts(a);      // same question: keep what the person is typing
    shownKey = key;
    clearInterval(ticker);
    const screen = $("activity-screen");
    screen.replaceChildren();
    if (!a) {
      screen.append(el("h1", { text: "Waiting for the facilitator" }),
        el("p", { text: "The next question appears here by itself." }));
      return;
    }
    const round = a.round > 1 ? ` · round ${a.round}` : "";
    const title = el("h1", { text: a.title, tabindex: "-1" });
    screen.append(el("p", { class: "kicker", text: `${KIND_NAMES[a.kind] || a.kind}${round}` }), title);
    if (a.kind === "recap") {
      screen.append(el("p", { class: "notice", text: "Look at the screen" }));
    } else if (a.results) {
      screen.append(results(a));
    } else if (a.state === "open") {
      screen.append(form(a));
    } else if (a.state === "locked") {
      screen.append(el("p", { class: "notice", text: "The round is locked" }),
        el("p", { text: "The results appear here when the facilitator shows them." }));
    } else {
      screen.append(el("p", { class: "notice", text: "Waiting for the round to open" }));
    }
    if (a.kind !== "recap") screen.append(el("p", { class: "count", id: "answered" }));
    counts(a);
    if (a.state === "open" && a.closes_at) countdown(a.closes_at);
    if (document.activeElement === document.body || !screen.contains(document.activeElement)) title.focus();
  }

  function counts(a) {
    const line = $("answered");
    if (line && a) line.textContent = `${a.answered} of ${people(view.joined)} answered`;
  }

  function countdown(closesAt) {
    // A time without a zone is the server's UTC.
    const end = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(closesAt) ? closesAt : `${closesAt}Z`);
    const line = el("p", { class: "countdown", "aria-live": "off" });
    $("activity-screen").insertBefore(line, $("activity-screen").children[2] || null);
    const tick = () => {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      line.textContent = left > 0 ? `Closes in ${left} s` : "Closing…";
      if (left === 0) clearInterval(ticker);
    };
    tick();
    ticker = setInterval(tick, 1000);
  }

  // --- the answer forms --------------------------------------------------------------------------------
  function form(a) {
    const saved = me.answers[`${a.id}:${a.round}`];
    const builder = { rating, ranking, points, dots, matrix, text }[a.kind];
    const send = el("button", { type: "submit", class: "primary", text: "Send answer" });
    const note = el("p", { class: "saved", role: "status" });
    if (saved) note.textContent = SAVED;
    const changed = () => {
      const answer = part.collect();
      send.disabled = answer === null;
      const kept = me.answers[`${a.id}:${a.round}`];
      if (kept) {
        note.textContent = JSON.stringify(kept) === JSON.stringify(answer)
          ? SAVED : "Changed: send it to replace your saved answer";
      }
    };
    const part = builder(a, saved, changed);
    const box = el("form", { class: `answer ${a.kind}`, novalidate: true }, part.node, send, note);
    send.disabled = part.collect() === null;
    box.addEventListener("submit", (event) => {
      event.preventDefault();
      const answer = part.collect();
      if (answer !== null) submit(a, answer, send, note);
    });
    return box;
  }

  async function submit(a, answer, button, note) {
    const body = { code: me.code, token: me.token, activity_id: a.id, answer, request_id: requestId() };
    button.disabled = true;
    note.classList.remove("problem");
    note.textContent = "Sending…";
    for (let attempt = 0; ; attempt += 1) {
      try {
        await request("/api/workshop/answer", body);        // the same request_id each time: stored once
        break;
      } catch (error) {
        const passing = !(error instanceof Refusal) || error.status >= 500;
        if (!passing || attempt >= 7) {
          note.textContent = passing ? "Not sent: check your connection, then send it again" : error.message;
          note.classList.add("problem");
          button.disabled = false;
          return;
        }
        note.textContent = "Not sent yet: trying again…";
        await sleep(Math.min(1000 * 2 ** attempt, 8000));
      }
    }
    me.answers[`${a.id}:${a.round}`] = answer;
    store();
    note.textContent = SAVED;
    button.disabled = false;
  }

  function labelOf(a) {
    const labels = new Map(a.items.map((item) => [item.id, item.label]));
    return (id) => labels.get(id) || id;
  }

  function radios(name, legend, options, picked, onPick) {
    const set = el("fieldset", { class: "scale" }, el("legend", { text: legend }));
    const row = el("div", { class: "choices row" });
    options.forEach(([value, label], i) => {
      const id = `${name}-${i}`;
      const input = el("input", { type: "radio", name, id, checked: picked === value });
      input.addEventListener("change", () => onPick(value));
      row.append(el("div", { class: "choice" }, input, el("label", { for: id, text: label })));
    });
    set.append(row);
    return set;
  }

  const SCALE = [1, 2, 3, 4, 5].map((v) => [v, String(v)]);

  function rating(a, saved, changed) {
    const value = saved ? { ...saved } : {};
    const node = el("div", {},
      a.items.length ? el("p", { class: "item", text: a.items[0].label }) : null,
      el("p", { class: "help", text: "1 is the lowest, 5 the highest." }));
    for (const [name, legend] of [["current", "How it is today"], ["desired", "Where it should be"]]) {
      node.append(radios(`rating-${name}`, legend, [...SCALE, [null, "Don't know"]], saved ? saved[name] : undefined,
        (v) => { value[name] = v; changed(); }));
    }
    return { node, collect: () => ("current" in value && "desired" in value
      ? { current: value.current, desired: value.desired } : null) };
  }

  function ranking(a, saved, changed) {
    const label = labelOf(a);
    let order = saved ? [...saved.order] : a.items.map((item) => item.id);
    const list = el("ol", { class: "ranking-list" });
    const draw = (focusId, direction) => {
      list.replaceChildren();
      order.forEach((id, i) => {
        const move = (step) => () => {
          [order[i], order[i + step]] = [order[i + step], order[i]];
          draw(id, step < 0 ? "up" : "down");
          changed();
        };
        const up = el("button", { type: "button", class: "step", "aria-label": `Move ${label(id)} up`, text: "↑",
          disabled: i === 0, onclick: move(-1), "data-id": id, "data-dir": "up" });
        const down = el("button", { type: "button", class: "step", "aria-label": `Move ${label(id)} down`,
          text: "↓", disabled: i === order.length - 1, onclick: move(1), "data-id": id, "data-dir": "down" });
        list.append(el("li", {}, el("span", { class: "rank", text: `${i + 1}` }),
          el("span", { class: "label", text: label(id) }), up, down));
      });
      if (focusId) {
        const buttons = [...list.querySelectorAll("button")].filter((b) => b.dataset.id === focusId);
        const keep = buttons.find((b) => b.dataset.dir === direction && !b.disabled) || buttons.find((b) => !b.disabled);
        if (keep) keep.focus();
      }
    };
    draw();
    return { node: el("div", {}, el("p", { class: "help", text: "Put the most important first." }), list),
      collect: () => ({ order: [...order] }) };
  }

  function steppers(a, saved, changed, { key, total, cap, step, unit, typed }) {
    const label = labelOf(a);
    const given = Object.fromEntries(a.items.map((item) => [item.id, saved ? saved[key][item.id] || 0 : 0]));
    const left = el("p", { class: "left", "aria-live": "polite" });
    const rows = el("ul", { class: "steppers" });
    const used = () => Object.values(given).reduce((s, v) => s + v, 0);
    const fields = {};
    const update = () => {
      const remaining = total - used();
      left.textContent = `${unit[0].toUpperCase()}${unit.slice(1)} left: ${remaining} of ${total}`
        + (cap ? ` · at most ${cap} on one item` : "");
      for (const [id, parts] of Object.entries(fields)) {
        if (!typed) parts.value.textContent = String(given[id]);
        else if (document.activeElement !== parts.value) parts.value.value = String(given[id]);
        parts.minus.disabled = given[id] <= 0;
        parts.plus.disabled = remaining <= 0 || (cap && given[id] >= cap);
      }
      changed();
    };
    for (const item of a.items) {
      const id = item.id;
      const add = (sign) => () => {
        const room = total - used();
        const limit = cap || total;
        given[id] = Math.max(0, Math.min(given[id] + sign * Math.min(step, sign > 0 ? room : step), limit));
        update();
      };
      const minus = el("button", { type: "button", class: "step", "aria-label": `Fewer ${unit} for ${label(id)}`,
        text: "−", onclick: add(-1) });
      const plus = el("button", { type: "button", class: "step", "aria-label": `More ${unit} for ${label(id)}`,
        text: "+", onclick: add(1) });
      const value = typed
        ? el("input", { class: "value", type: "number", inputmode: "numeric", min: 0, max: total, step: 1,
          "aria-label": `${unit} for ${label(id)}` })
        : el("output", { class: "value", "aria-label": `${unit} for ${label(id)}` });
      if (typed) {
        value.addEventListener("input", () => {
          const wanted = Number.parseInt(value.value, 10);
          given[id] = Number.isFinite(wanted) ? Math.max(0, Math.min(wanted, total - used() + given[id])) : 0;
          update();
        });
        value.addEventListener("blur", update);
      }
      fields[id] = { minus, plus, value };
      rows.append(el("li", {}, el("span", { class: "label", text: label(id) }),
        el("span", { class: "stepper" }, minus, value, plus)));
    }
    const node = el("div", {}, left, rows);
    const collect = () => ({ [key]: { ...given } });
    setTimeout(update);
    return { node, collect, used };
  }

  function points(a, saved, changed) {
    const total = (a.settings && a.settings.total) || 100;
    const step = Math.max(1, Math.round(total / 10));
    const part = steppers(a, saved, changed, { key: "points", total, cap: 0, step, unit: "points", typed: true });
    return { node: part.node, collect: () => (part.used() === total ? part.collect() : null) };
  }

  function dots(a, saved, changed) {
    const total = (a.settings && a.settings.dots) || 3;
    const cap = (a.settings && a.settings.cap) || 2;
    const part = steppers(a, saved, changed, { key: "dots", total, cap, step: 1, unit: "dots" });
    return { node: part.node, collect: () => (part.used() >= 1 ? part.collect() : null) };
  }

  function matrix(a, saved, changed) {
    const place = saved ? JSON.parse(JSON.stringify(saved.place)) : {};
    const node = el("div", {}, el("p", { class: "help",
      text: "Value: how much it would help (5 = most). Effort: how hard it is (5 = hardest). Leave out what you cannot judge." }));
    a.items.forEach((item, n) => {
      const spot = place[item.id] || {};
      const pick = (name) => (v) => {
        place[item.id] = { ...(place[item.id] || {}), [name]: v };
        changed();
      };
      node.append(el("div", { class: "placement" }, el("h2", { text: item.label }),
        radios(`m${n}-value`, "Value", SCALE, spot.value, pick("value")),
        radios(`m${n}-effort`, "Effort", SCALE, spot.effort, pick("effort"))));
    });
    const collect = () => {
      const spots = Object.entries(place);
      if (!spots.length || spots.some(([, s]) => !s.value || !s.effort)) return null;
      return { place: Object.fromEntries(spots.map(([id, s]) => [id, { value: s.value, effort: s.effort }])) };
    };
    return { node, collect };
  }

  function text(a, saved, changed) {
    const area = el("textarea", { id: "answer-text", maxlength: MAX_TEXT, rows: 5 });
    area.value = saved ? saved.text : "";
    const counter = el("p", { class: "help", id: "text-count" });
    const update = () => {
      counter.textContent = `${area.value.length} / ${MAX_TEXT} characters`;
      changed();
    };
    area.addEventListener("input", update);
    area.setAttribute("aria-describedby", "text-count");
    setTimeout(update);
    return { node: el("div", {}, el("label", { for: "answer-text", text: "Your answer" }), area, counter),
      collect: () => (area.value.trim() ? { text: area.value.trim() } : null) };
  }

  // --- revealed results --------------------------------------------------------------------------------
  const one = (x) => Number(x).toFixed(1);

  function bar(label, share, figure) {
    const row = el("li", { class: share === null ? "result plain" : "result" },
      el("span", { class: "label", text: label }), el("span", { class: "figure", text: figure }));
    if (share !== null) {
      const fill = el("span", { class: "fill" });
      fill.style.width = `${Math.max(0, Math.min(1, share)) * 100}%`;     // CSSOM: allowed by the page's CSP
      row.append(el("span", { class: "track", "aria-hidden": "true" }, fill));
    }
    return row;
  }

  function results(a) {
    const round = a.results;
    const box = el("div", { class: "results" }, el("h2", { text: "Results" }));
    if (round.shown === false || !round.results) {
      box.append(el("p", { text: `${people(round.n)} answered: results are shown from ${round.needed} answers.` }));
      return box;
    }
    const r = round.results;
    const label = labelOf(a);
    const bars = el("ul", { class: "bars" });
    box.append(bars);
    if (a.kind === "rating") {
      if (a.items.length) box.insertBefore(el("p", { class: "item", text: a.items[0].label }), bars);
      for (const [name, title] of [["current", "The room: today"], ["desired", "The room: where it should be"]]) {
        const spread = r[name];
        if (spread.mean !== null) bars.append(bar(title, spread.mean / 5, `${one(spread.mean)} of 5`));
      }
      if (r.survey && r.survey.current !== null && r.survey.current !== undefined) {
        bars.append(bar("The survey: today", r.survey.current / 5, `${one(r.survey.current)} of 5`));
        const shift = r.shift && r.shift.current;
        if (shift !== null && shift !== undefined) {
          const way = shift > 0 ? `${one(shift)} higher than` : shift < 0 ? `${one(-shift)} lower than` : "the same as";
          box.append(el("p", { text: `The room rates today ${way} the survey.` }));
        }
      }
    } else if (a.kind === "ranking") {
      const top = Math.max(1, ...r.items.map((i) => i.points));
      for (const i of r.items) bars.append(bar(label(i.id), i.points / top, `mean rank ${one(i.mean_rank)}`));
    } else if (a.kind === "points" || a.kind === "dots") {
      for (const i of r.items) bars.append(bar(label(i.id), i.share, `${i[a.kind]} ${a.kind} (${percent(i.share)})`));
    } else if (a.kind === "matrix") {
      for (const i of r.items) {
        const quadrant = i.quadrant ? `${i.quadrant[0].toUpperCase()}${i.quadrant.slice(1)}` : "";
        bars.append(i.value === null
          ? bar(label(i.id), null, `${people(i.n)} placed it: too few to show`)
          : bar(label(i.id), null, `${quadrant}: value ${one(i.value)}, effort ${one(i.effort)}`));
      }
    } else if (a.kind === "text") {
      const list = el("ul", { class: "texts" });
      for (const t of r.approved) list.append(el("li", { text: t }));
      box.insertBefore(list, bars);
      const top = Math.max(1, ...r.words.map(([, n]) => n));
      if (r.words.length) box.insertBefore(el("h2", { text: "Words used most" }), bars);
      for (const [word, n] of r.words.slice(0, 5)) bars.append(bar(word, n / top, String(n)));
      if (!r.approved.length) box.insertBefore(el("p", { text: "No answers shown yet." }), bars);
    }
    return box;
  }

  // --- start ---------------------------------------------------------------------------------------------
  function start() {
    const offline = el("p", { id: "offline", class: "status problem", hidden: true,
      text: "Connection lost: reconnecting…" });
    document.body.append(offline);
    const stored = loadStored();
    Object.assign(me, { answers: {}, ...stored });
    const given = (new URLSearchParams(location.search).get("c") || "").trim().toUpperCase();
    $("code").value = given || me.code || "";
    $("code-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const code = $("code").value.trim().toUpperCase();
      if (!/^[A-Z0-9]{4,12}$/.test(code)) {
        status("Type the code shown on the screen (letters and digits).", true);
        $("code").focus();
        return;
      }
      checkCode(code);
    });
    if (me.code && me.token && (!given || given === me.code)) join(me.code, me.group, me.token);
    else if (given) checkCode(given);
    else show("join-screen");
  }

  start();
})();
