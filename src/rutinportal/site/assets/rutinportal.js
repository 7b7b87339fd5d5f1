/* Rutinportalen: the portal's own script. Vanilla ES2017, no dependencies, no third-party host.
 * Quiz widget (templates/quiz.html.j2): on production pages the portal hands out an attempt
 * (the questions it drew, choices in its order), which the page shows; the answers go back to
 * the portal, which grades and records them once. Preview pages carry the key and grade in
 * the browser. */
(function () {
  "use strict";

  // Run `setup` on the first page and after each mkdocs-material instant navigation, which
  // swaps the page content without reloading this script. `setup` must be idempotent.
  function onPage(setup) {
    function start() {
      setup();
      if (window.document$ && window.document$.subscribe) window.document$.subscribe(setup);
    }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) return meta.content;
    const match = document.cookie.match(/(?:^|;\s*)rp_csrf=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : null;
  }

  function post(url, body) {
    forgetMe();  // what it records changes what /api/me says
    const headers = { "Content-Type": "application/json", "Accept": "application/json" };
    const token = csrfToken();
    if (token) headers["X-CSRF-Token"] = token;
    return fetch(url, { method: "POST", credentials: "same-origin", headers: headers,
      body: JSON.stringify(body) }).finally(forgetMe);
  }

  const FAILED = "Kunskapstestet kan inte rättas här: Rutinportalens server svarar inte. " +
    "Inget resultat har registrerats.";
  const LOGIN = "Logga in för att få ditt resultat registrerat.";
  const STALE = "Sidan visar en äldre version av kunskapstestet. Ladda om sidan.";

  // The questions of the current attempt: the page has them all, an attempt shows its own.
  function questions(form) {
    return Array.from(form.querySelectorAll("fieldset[data-question-id]:not([hidden])"));
  }

  function collect(form) {
    const answers = {};
    questions(form).forEach(function (fieldset) {
      answers[fieldset.dataset.questionId] =
        Array.from(fieldset.querySelectorAll("input:checked"), function (i) { return i.value; });
    });
    return answers;
  }

  // The same rule as the portal (quiz.grade): right only when the chosen set equals the key.
  function gradeHere(form, key, answers) {
    const results = questions(form).map(function (fieldset) {
      const id = fieldset.dataset.questionId;
      const want = (key[id] || {}).correct || [];
      const got = new Set(answers[id] || []);
      return {
        question_id: id,
        correct: got.size === want.length && want.every(function (c) { return got.has(c); }),
        explanation: (key[id] || {}).explanation || null
      };
    });
    const right = results.filter(function (r) { return r.correct; }).length;
    const score = results.length ? right / results.length : 0;
    // Same tolerance as the portal's exact arithmetic: 4 of 5 passes a pass mark of 0.8.
    return { score: score, passed: score >= parseFloat(form.dataset.passMark) - 1e-9,
      results: results };
  }

  function setStatus(form, text, state, quiet) {
    const status = form.querySelector(".rp-quiz__status");
    status.textContent = text;
    status.dataset.state = state;
    if (!quiet) status.focus();
    return status;
  }

  function lock(form, locked) {
    form.querySelectorAll("input").forEach(function (i) { i.disabled = locked; });
    form.querySelector(".rp-quiz__submit").hidden = locked;
    form.querySelector(".rp-quiz__retry").hidden = !locked;
  }

  // Show the attempt the portal handed out: its questions in its order, the rest hidden.
  function apply(form, attempt) {
    const all = {};
    form.querySelectorAll("fieldset[data-question-id]").forEach(function (fieldset) {
      all[fieldset.dataset.questionId] = fieldset;
      fieldset.hidden = true;
    });
    const items = attempt.questions || [];
    if (!items.length || items.some(function (q) { return !all[q.id]; })) {
      setStatus(form, STALE, "error", true);
      form.querySelector(".rp-quiz__submit").disabled = true;
      return false;
    }
    const actions = form.querySelector(".rp-quiz__actions");
    items.forEach(function (q, index) {
      const fieldset = all[q.id];
      const feedback = fieldset.querySelector(".rp-quiz__feedback");
      fieldset.hidden = false;
      fieldset.querySelector(".rp-quiz__number").textContent =
        "Fråga " + (index + 1) + " av " + items.length + ":";
      q.choices.forEach(function (choice) {
        const input = fieldset.querySelector("input[value='" + choice.id + "']");
        if (input) fieldset.insertBefore(input.parentNode, feedback);
      });
      form.insertBefore(fieldset, actions);
    });
    form.querySelector(".rp-quiz__intro").textContent =
      items.length + (items.length === 1 ? " fråga." : " frågor.");
    form.dataset.attempt = attempt.attempt_id;
    return true;
  }

  // Too many failed attempts in a row: say so in words, and wait until the pause is over.
  async function pause(form, response, quiet) {
    const seconds = Number(response.headers.get("Retry-After")) || 60;
    setStatus(form, await detail(response) || FAILED, "paused", quiet);
    form.querySelectorAll("input, .rp-quiz__submit").forEach(function (i) { i.disabled = true; });
    form.querySelector(".rp-quiz__submit").hidden = false;
    form.querySelector(".rp-quiz__retry").hidden = true;
    window.setTimeout(function () {
      form.querySelectorAll("input, .rp-quiz__submit").forEach(function (i) { i.disabled = false; });
      setStatus(form, "", "", true);
      begin(form, true);
    }, seconds * 1000);
  }

  // Ask the portal for an attempt; false (and the reason shown) when there is none.
  async function begin(form, quiet) {
    delete form.dataset.attempt;
    try {
      const response = await post(form.dataset.api + "/start", {});
      if (response.ok) return apply(form, await response.json());
      if (response.status === 401) {
        setStatus(form, LOGIN + " ", "error", quiet).appendChild(loginLink());
      } else if (response.status === 429) await pause(form, response, quiet);
      else setStatus(form, (await detail(response)) || FAILED, "error", quiet);
    } catch (error) {
      setStatus(form, FAILED, "error", quiet);
    }
    return false;
  }

  function show(form, data, preview) {
    const byId = {};
    (data.results || []).forEach(function (r) { byId[r.question_id] = r; });
    let right = 0;
    let total = 0;
    questions(form).forEach(function (fieldset) {
      const result = byId[fieldset.dataset.questionId];
      const box = fieldset.querySelector(".rp-quiz__feedback");
      box.textContent = "";
      if (!result) return;
      total += 1;
      if (result.correct) right += 1;
      fieldset.classList.add(result.correct ? "is-right" : "is-wrong");
      // The verdict is a word; the icon only repeats it, so screen readers skip it.
      const verdict = el("p", "rp-quiz__verdict");
      verdict.appendChild(el("span", "rp-quiz__icon", result.correct ? "✓" : "✗"))
        .setAttribute("aria-hidden", "true");
      verdict.appendChild(el("strong", "", result.correct ? " Rätt" : " Fel"));
      box.appendChild(verdict);
      if (result.explanation) box.appendChild(el("p", "rp-quiz__explanation", result.explanation));
    });
    const percent = Math.round((Number(data.score) || 0) * 100);
    const summary = "Du fick " + right + " av " + total + " rätt (" + percent + "\u00a0%). " +
      (data.passed ? "Godkänt!" : "Inte godkänt ännu – läs rutinen och försök igen.") +
      (preview ? " Förhandsvisning: resultatet registreras inte." : "");
    lock(form, true);
    setStatus(form, summary, data.passed ? "passed" : "failed");
  }

  async function submit(form) {
    const keyNode = form.querySelector("script.rp-quiz-key");
    if (keyNode) {
      show(form, gradeHere(form, JSON.parse(keyNode.textContent), collect(form)), true);
      return;
    }
    const button = form.querySelector(".rp-quiz__submit");
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    try {
      if (!form.dataset.attempt && !(await begin(form, false))) return;
      const response = await post(form.dataset.api,
        { attempt_id: form.dataset.attempt, answers: collect(form) });
      delete form.dataset.attempt;  // graded once: the next try is a new attempt
      if (response.status === 401) {
        setStatus(form, LOGIN + " ", "error").appendChild(loginLink());
      } else if (response.status === 429) await pause(form, response, false);
      else if (!response.ok) setStatus(form, (await detail(response)) || FAILED, "error");
      else show(form, await response.json(), false);
    } catch (error) {
      setStatus(form, FAILED, "error");  // offline, blocked, or not the portal's JSON
    } finally {
      if (form.querySelector(".rp-quiz__status").dataset.state !== "paused") {
        button.disabled = false;
      }
      form.removeAttribute("aria-busy");
    }
  }

  function firstInput(form) {
    const first = form.querySelector("fieldset:not([hidden]) input");
    if (first) first.focus();
  }

  async function retry(form) {
    form.reset();
    lock(form, false);
    form.querySelectorAll("fieldset[data-question-id]").forEach(function (fieldset) {
      fieldset.classList.remove("is-right", "is-wrong");
      fieldset.querySelector(".rp-quiz__feedback").textContent = "";
    });
    const status = form.querySelector(".rp-quiz__status");
    status.textContent = "";
    delete status.dataset.state;
    firstInput(form);
    if (form.querySelector("script.rp-quiz-key")) return;
    form.setAttribute("aria-busy", "true");
    if (await begin(form, false)) firstInput(form);  // a new attempt: new questions, order
    form.removeAttribute("aria-busy");
  }

  function setupQuizzes() {
    document.querySelectorAll("form.rp-quiz:not([data-rp-ready])").forEach(function (form) {
      form.dataset.rpReady = "";
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!form.hasAttribute("aria-busy")) submit(form);
      });
      form.querySelector(".rp-quiz__retry").addEventListener("click", function () {
        retry(form);
      });
      if (!form.querySelector("script.rp-quiz-key")) {
        form.setAttribute("aria-busy", "true");
        begin(form, true).then(function () { form.removeAttribute("aria-busy"); });
      }
    });
  }

  // Sortable tables (the routine register): each header becomes a button; aria-sort tells
  // screen readers the order. Numbers and ISO dates sort naturally with a numeric collator.
  function setupSortable() {
    document.querySelectorAll(".rp-sortable table:not([data-rp-ready])").forEach(function (table) {
      table.dataset.rpReady = "";
      if (!table.tHead || !table.tBodies.length) return;
      const heads = Array.from(table.tHead.rows[0].cells);
      const collator = new Intl.Collator("sv", { numeric: true });
      heads.forEach(function (th, column) {
        const button = el("button", "rp-sort", th.textContent);
        button.type = "button";
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () {
          const ascending = th.getAttribute("aria-sort") !== "ascending";
          heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          const body = table.tBodies[0];
          Array.from(body.rows).sort(function (a, b) {
            const order = collator.compare(a.cells[column].textContent.trim(),
              b.cells[column].textContent.trim());
            return ascending ? order : -order;
          }).forEach(function (row) { body.appendChild(row); });
        });
      });
      heads[0].setAttribute("aria-sort", "ascending");
    });
  }

  // -- the signed-in person: acknowledgements, checkmarks and progress ---------------------
  // Everything here asks the portal; on static hosting (no portal) the page says so and
  // nothing pretends to be recorded.

  function loginLink() {
    const link = el("a", "", "Logga in");
    link.href = "/login?next=" + encodeURIComponent(location.pathname);
    return link;
  }

  async function detail(response) {
    try {
      const data = await response.json();
      return typeof data.detail === "string" ? data.detail : null;
    } catch (error) {
      return null;
    }
  }

  // What /api/me said is kept in this tab for a few minutes, so that the next page costs one
  // request on a weak connection. Only a signed-in answer is kept; anything this page records
  // forgets it, and so do signing in and out (here, and by the portal's Clear-Site-Data).
  const ME_KEY = "rp-me";
  const ME_FRESH_MS = 5 * 60 * 1000;

  function forgetMe() {
    try { sessionStorage.removeItem(ME_KEY); } catch (error) { /* storage off: nothing kept */ }
  }

  function keptMe() {
    try {
      const kept = JSON.parse(sessionStorage.getItem(ME_KEY) || "null");
      if (kept && kept.me && Date.now() - kept.at < ME_FRESH_MS) return kept.me;
    } catch (error) { /* storage off or spoilt: ask the portal */ }
    return null;
  }

  function keepMe(me) {
    if (me.offline || me.signedOut) return forgetMe();
    try {
      sessionStorage.setItem(ME_KEY, JSON.stringify({ at: Date.now(), me: me }));
    } catch (error) { /* storage full or off: nothing kept */ }
  }

  function loadMe() {
    const kept = keptMe();
    if (kept) return Promise.resolve(kept);
    return fetch("/api/me", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status === 401) return { signedOut: true };
        if (!r.ok) return { offline: true };
        return r.json().catch(function () { return { offline: true }; });
      })
      .catch(function () { return { offline: true }; })
      .then(function (me) { keepMe(me); return me; });
  }

  function acknowledgement(me, id) {
    return (me.acknowledged || []).filter(function (a) { return a.document_id === id; })[0];
  }

  function ackText(ack) {
    return (ack.renewal ? "Förnyad " : "Kvitterad ") + String(ack.acknowledged_at).slice(0, 10) +
      " (version " + ack.version + ")";
  }

  // A renewal owed (the routine expires, `renew_months`): what /api/me says is due, or none.
  function renewal(me, id) {
    const due = me.due || {};
    return (due.acknowledgements || []).concat(due.training || []).filter(function (o) {
      return o.document_id === id && o.reason === "förnyas";
    })[0];
  }

  const OFFLINE_ACK = "Kvittering sker i Rutinportalen, och den svarar inte här. " +
    "Ingenting kan registreras på den här sidan.";

  function showAck(section, me) {
    const status = section.querySelector(".rp-ack__status");
    const button = section.querySelector(".rp-ack__button");
    // A click answered before /api/me did: keep its confirmation, /api/me predates it.
    if (section.hasAttribute("data-rp-acknowledged")) return;
    status.textContent = "";
    if (me.offline) {
      status.textContent = OFFLINE_ACK;
      button.disabled = true;
      return;
    }
    if (me.signedOut) {
      status.textContent = "Logga in för att kvittera. ";
      status.appendChild(loginLink());
      button.disabled = true;
      return;
    }
    const ack = acknowledgement(me, section.dataset.documentId);
    const from = Number(section.dataset.acknowledgeFrom);
    const renew = renewal(me, section.dataset.documentId);
    if (ack && ack.version >= from && renew) {
      // The same version again: the portal records it as a renewal (a new receipt).
      status.textContent = ackText(ack) + ". Kvittensen " + (renew.overdue ? "gällde" : "gäller") +
        " till " + renew.valid_until + " och ska förnyas: läs rutinen igen och förnya kvittensen " +
        (renew.overdue ? "så snart du kan." : "senast " + renew.due_on + ".");
      button.textContent = "Förnya kvittensen";
    } else if (ack && ack.version >= from) {
      status.textContent = "✓ " + ackText(ack);
      button.hidden = true;
    } else if (ack) {
      status.textContent = "Du kvitterade version " + ack.version + " " +
        String(ack.acknowledged_at).slice(0, 10) + ". Rutinen har ändrats i sak: läs den och " +
        "kvittera igen.";
    }
  }

  async function sendAck(section) {
    const status = section.querySelector(".rp-ack__status");
    const button = section.querySelector(".rp-ack__button");
    // Disabling the button drops its focus: where focus goes after the answer is decided
    // by whether the reader was on the button (a keyboard, a screen reader) (WCAG 2.4.3).
    const hadFocus = document.activeElement === button;
    button.disabled = true;
    try {
      const response = await post("/api/acknowledgements", {
        document_id: section.dataset.documentId, version: Number(section.dataset.version) });
      if (response.ok) {
        const ack = await response.json();
        section.dataset.rpAcknowledged = "";
        status.textContent = "✓ " + ackText(ack);
        button.hidden = true;
        if (hadFocus) status.focus();  // the button is gone: the receipt takes the focus
        return;
      }
      if (response.status === 401) {
        status.textContent = "Logga in för att kvittera. ";
        status.appendChild(loginLink());
      } else {
        status.textContent = (await detail(response)) || OFFLINE_ACK;
      }
    } catch (error) {
      status.textContent = OFFLINE_ACK;
    }
    button.disabled = false;
    if (hadFocus) button.focus();
  }

  // The reader's own due date in the metadata line (Att göra on /min-sida/ has them all).
  function showDue(me) {
    const due = (me.due || {});
    const owed = (due.acknowledgements || []).concat(due.training || []);
    document.querySelectorAll(".rp-meta__due").forEach(function (item) {
      const found = owed.filter(function (o) { return o.document_id === item.dataset.documentId; })[0];
      if (!found) return;
      item.textContent = (found.overdue ? "\u26a0 Försenad, senast " : "Senast ") + found.due_on;
      if (found.overdue) item.classList.add("rp-overdue");
      item.hidden = false;
    });
  }

  // Signing in or out in this tab: whatever was kept about the person before is gone.
  document.addEventListener("submit", function (event) {
    const action = event.target.getAttribute("action") || "";
    if (/^\/(login|logout)\b/.test(action)) forgetMe();
  });

  function setupPortal() {
    const sections = document.querySelectorAll(".rp-ack:not([data-rp-ready])");
    const marks = document.querySelectorAll(".rp-mark, .rp-progress");
    if (!sections.length && !marks.length) return;
    sections.forEach(function (section) {
      section.dataset.rpReady = "";
      section.querySelector(".rp-ack__button").addEventListener("click", function () {
        sendAck(section);
      });
    });
    loadMe().then(function (me) {
      sections.forEach(function (section) { showAck(section, me); });
      if (me.offline || me.signedOut) return;
      showDue(me);
      const passed = {};
      (me.passed || []).forEach(function (p) { passed[p.quiz_id] = p; });
      marks.forEach(function (mark) {
        if (mark.classList.contains("rp-progress")) {
          const quiz = mark.dataset.quizId;
          const ack = acknowledgement(me, mark.dataset.documentId);
          const done = quiz ? passed[quiz] : ack;
          mark.textContent = done ? "✓ Klar" : "Inte klar";
          return;
        }
        const ack = acknowledgement(me, mark.dataset.documentId);
        const renew = renewal(me, mark.dataset.documentId);
        if (!ack) mark.textContent = "Inte kvitterad";
        else if (renew) mark.textContent = "Förnya kvittensen senast " + renew.due_on;
        else if (ack.version >= Number(mark.dataset.acknowledgeFrom)) mark.textContent = "✓ " + ackText(ack);
        else mark.textContent = "Ny version – kvittera igen";
      });
    });
  }

  // A wide table scrolls sideways inside the theme's wrapper on a phone; a keyboard can only
  // scroll what takes focus. So a wrapper that overflows becomes a named, focusable region
  // (WCAG 2.1.1, axe scrollable-region-focusable), and stops being one when it fits again.
  // The region's name: the table's caption, else the heading above it, else the page's.
  function tableLabel(wrap) {
    const caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) return "Tabell: " + caption.textContent.trim();
    let node = wrap.previousElementSibling;
    while (node && !/^H[1-6]$/.test(node.tagName)) node = node.previousElementSibling;
    node = node || document.querySelector(".md-content h1");
    const heading = node ? node.textContent.replace("\u00b6", "").trim() : "";
    return heading ? "Tabell: " + heading : "Tabell";
  }

  function setupScrollableTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      const overflows = wrap.scrollWidth > wrap.clientWidth;
      if (overflows && !wrap.hasAttribute("data-rp-scroll")) {
        wrap.dataset.rpScroll = "";
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", tableLabel(wrap));
      } else if (!overflows && wrap.hasAttribute("data-rp-scroll")) {
        ["data-rp-scroll", "tabindex", "role", "aria-label"].forEach(function (name) {
          wrap.removeAttribute(name);
        });
      }
    });
  }

  // The search index is the largest thing a page can fetch (hundreds of KB on a large site),
  // and most visits never search: fetch it when the reader first opens the search. The theme
  // asks for search/search_index.json by XMLHttpRequest as the page starts (on
  // DOMContentLoaded, after this script has run); that one request is held back until the
  // search field gets focus or the search is opened (the search icon, a shortcut key, a
  // ?q= link), then sent unchanged. The theme's search waits for its index as it would on
  // a slow network.
  function deferSearchIndex() {
    const proto = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
    if (!proto) return;
    const open = proto.open, send = proto.send, held = [];
    let released = false;
    function release() {
      if (released) return;
      released = true;
      held.splice(0).forEach(function (go) { go(); });
    }
    proto.open = function (method, url) {
      this.rpSearchIndex = /(^|\/)search\/search_index\.json([?#]|$)/.test(String(url));
      return open.apply(this, arguments);
    };
    proto.send = function () {
      if (!this.rpSearchIndex || released) return send.apply(this, arguments);
      const request = this, args = arguments;
      held.push(function () { send.apply(request, args); });
    };
    function watch() {
      const toggle = document.querySelector('[data-md-toggle="search"]');
      const field = document.querySelector('[data-md-component="search-query"]');
      if (!toggle || !field || toggle.checked) return release();
      toggle.addEventListener("change", function () { if (toggle.checked) release(); });
      field.addEventListener("focus", release);
    }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
    else watch();
  }

  // The theme's drawer (the navigation on a phone, or at 200 % zoom) and its search stay where
  // they are when focus moves on: Tab would walk through links hidden off screen, or behind
  // the open search's overlay (WCAG 2.4.7, 2.4.11). So the drawer opens while focus is in it,
  // and the search closes when focus leaves it. The theme reacts to its toggles' change.
  function setToggle(name, on) {
    const toggle = document.querySelector('[data-md-toggle="' + name + '"]');
    if (!toggle || toggle.checked === on) return;
    toggle.checked = on;
    toggle.dispatchEvent(new Event("change"));
  }

  function followFocus() {
    const drawerMode = window.matchMedia("(max-width: 76.234375em)");
    document.addEventListener("focusin", function (event) {
      const target = event.target;
      if (!(target instanceof Element)) return;
      const inDrawer = !!target.closest(".md-sidebar--primary");
      if (drawerMode.matches) setToggle("drawer", inDrawer);
      if (!target.closest(".md-search")) setToggle("search", false);
    });
  }

  deferSearchIndex();
  followFocus();
  onPage(setupQuizzes);
  onPage(setupSortable);
  onPage(setupPortal);
  onPage(setupScrollableTables);
  window.addEventListener("resize", setupScrollableTables);
})();
