/* Rutinportalen: the portal's own script. Vanilla ES2017, no dependencies, no third-party host.
 * Quiz widget (templates/quiz.html.j2): production pages post the answers to the portal, which
 * grades and records the attempt; preview pages carry the key and grade in the browser. */
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

  const FAILED = "Quizen kan inte rättas här just nu, och inget resultat har registrerats. " +
    "Försök igen senare.";
  const LOGIN = "Logga in för att få ditt resultat registrerat.";

  function questions(form) {
    return Array.from(form.querySelectorAll("fieldset[data-question-id]"));
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

  function setStatus(form, text, state) {
    const status = form.querySelector(".rp-quiz__status");
    status.textContent = text;
    status.dataset.state = state;
    status.focus();
  }

  function lock(form, locked) {
    form.querySelectorAll("input").forEach(function (i) { i.disabled = locked; });
    form.querySelector(".rp-quiz__submit").hidden = locked;
    form.querySelector(".rp-quiz__retry").hidden = !locked;
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
    const answers = collect(form);
    const keyNode = form.querySelector("script.rp-quiz-key");
    if (keyNode) {
      show(form, gradeHere(form, JSON.parse(keyNode.textContent), answers), true);
      return;
    }
    const button = form.querySelector(".rp-quiz__submit");
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    try {
      const headers = { "Content-Type": "application/json", "Accept": "application/json" };
      const token = csrfToken();
      if (token) headers["X-CSRF-Token"] = token;
      const response = await fetch(form.dataset.api, {
        method: "POST", credentials: "same-origin", headers: headers,
        body: JSON.stringify({ answers: answers })
      });
      if (response.status === 401) setStatus(form, LOGIN, "error");
      else if (!response.ok) setStatus(form, FAILED, "error");
      else show(form, await response.json(), false);
    } catch (error) {
      setStatus(form, FAILED, "error");  // offline, blocked, or not the portal's JSON
    } finally {
      button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  }

  function retry(form) {
    form.reset();
    lock(form, false);
    questions(form).forEach(function (fieldset) {
      fieldset.classList.remove("is-right", "is-wrong");
      fieldset.querySelector(".rp-quiz__feedback").textContent = "";
    });
    const status = form.querySelector(".rp-quiz__status");
    status.textContent = "";
    delete status.dataset.state;
    const first = form.querySelector("input");
    if (first) first.focus();
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
    });
  }

  onPage(setupQuizzes);
})();
