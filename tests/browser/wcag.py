"""What the browser tests measure for WCAG 2.2 AA, in the page itself: axe-core's verdict,
horizontal scrolling (1.4.10), target sizes (2.5.8) and where focus is (2.4.7, 2.4.11).

axe-core comes inside axe-playwright-python (axe.min.js in the package) and is injected into
the page: nothing is fetched at run time. Each check returns what it found as lines of text,
so a test can visit many pages and report every problem at once.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices (landmarks, headings, names …).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE = Axe()

# 1280 x 800 at 200 % zoom: what the page lays out in is a 640 x 400 CSS px viewport with two
# device pixels per CSS px, as the browser's own zoom gives it (media queries and all).
REFLOW_SIZES = {
    "320px": {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
    "zoom-200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}
MIN_TARGET = 24  # CSS px (2.5.8)


# -- axe ------------------------------------------------------------------------------------

_TO_THE_TOP = """async () => {
  window.scrollTo(0, 0);
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const settled = Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
  await Promise.race([settled, new Promise(done => setTimeout(done, 2000))]);
}"""


def violations(page) -> list[dict]:
    # From the top of the page: axe's target-size counts a target as obscured by whatever
    # covers it at the moment, and a page scrolled down has content under its sticky header.
    # Then wait for what the theme animates on scrolling (its tabs fade in) to finish.
    page.evaluate(_TO_THE_TOP)
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                     "resultTypes": ["violations"]})
    return results.response["violations"]


def report(found: list[dict], limit: int = 8) -> str:
    """One block per rule: what, how bad, where (selector and HTML) and axe's own reason."""
    lines = []
    for rule in found:
        lines.append(f"\n[{rule['impact']}] {rule['id']}: {rule['help']} "
                     f"({len(rule['nodes'])} element{'s' if len(rule['nodes']) != 1 else ''})"
                     f"\n  {rule['helpUrl']}")
        for node in rule["nodes"][:limit]:
            reasons = [c["message"] for key in ("any", "all", "none") for c in node.get(key, [])]
            lines.append(f"  - {' '.join(map(str, node['target']))}\n"
                         f"    {' '.join(node['html'].split())[:200]}\n"
                         f"    {'; '.join(reasons)[:300]}")
        if len(rule["nodes"]) > limit:
            lines.append(f"  … and {len(rule['nodes']) - limit} more")
    return "\n".join(lines)


# -- reflow (1.4.10) --------------------------------------------------------------------------

_REFLOW = """() => {
  const root = document.documentElement;
  const out = {width: root.clientWidth, scrollWidth: Math.max(root.scrollWidth,
               document.body.scrollWidth), scrollers: []};
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    if (!["auto", "scroll"].includes(style.overflowX) || el.scrollWidth <= el.clientWidth + 1
        || !el.clientWidth || style.visibility === "hidden") continue;
    const name = el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || "";
    out.scrollers.push({what: el.tagName.toLowerCase() + "." + String(el.className),
                        focusable: el.tabIndex >= 0, role: el.getAttribute("role"), name});
  }
  return out;
}"""


def reflow_problems(page) -> list[str]:
    """The page must not scroll sideways; what scrolls inside it (a wide table) must be a
    named region that takes focus, so a keyboard can scroll it too."""
    found = page.evaluate(_REFLOW)
    problems = []
    if found["scrollWidth"] > found["width"]:
        problems.append(f"the page scrolls sideways: {found['scrollWidth']} px wide in a "
                        f"{found['width']} px viewport")
    for scroller in found["scrollers"]:
        if not (scroller["focusable"] and scroller["role"] == "region" and scroller["name"]):
            problems.append(f"{scroller['what']} scrolls sideways but is not a named, "
                            f"focusable region: {scroller}")
    return problems


# -- target size (2.5.8) ----------------------------------------------------------------------

_TARGETS = """(selector) => {
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === "hidden") continue;
    out.push({what: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " "
                    + JSON.stringify((el.textContent || el.value || "").trim().slice(0, 40)),
              width: box.width, height: box.height});
  }
  return out;
}"""


def small_targets(page, selector: str) -> tuple[int, list[str]]:
    """How many visible targets match `selector`, and those smaller than 24 x 24 CSS px."""
    targets = page.evaluate(_TARGETS, selector)
    small = [f"{t['what']}: {t['width']:.0f} x {t['height']:.0f} px" for t in targets
             if min(t["width"], t["height"]) < MIN_TARGET - 0.5]
    return len(targets), small


# -- focus (2.4.7, 2.4.11) --------------------------------------------------------------------

# After the key press, two frames: the browser has scrolled the element into view and the
# theme has reacted to the scroll (it shows or hides its back-to-top button then).
_FOCUS = """async () => {
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const text = (el.textContent || el.getAttribute("aria-label") || "").trim()
    .replace(/\\s+/g, " ");
  const state = {
    tag: el.tagName.toLowerCase(), id: el.id, type: el.type || null, value: el.value || null,
    text, checked: !!el.checked,
    what: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
          + (el.className ? "." + String(el.className).split(" ")[0] : "") + " "
          + JSON.stringify((text || el.value || "").slice(0, 40)),
    top: box.top, bottom: box.bottom, left: box.left, right: box.right,
    width: box.width, height: box.height, viewportHeight: innerHeight,
    outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    samples: 0, covered: 0, coveredBy: [],
  };
  // Points across the part of the element inside the viewport: which of them is under a
  // fixed or sticky element (the header, the back-to-top button …) that is not its own?
  const left = Math.max(box.left, 0), right = Math.min(box.right, innerWidth);
  const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, innerHeight);
  if (right - left < 1 || bottom - top < 1) return state;
  for (const fx of [0.1, 0.5, 0.9]) {
    for (const fy of [0.1, 0.5, 0.9]) {
      const x = left + (right - left) * fx, y = top + (bottom - top) * fy;
      state.samples += 1;
      let hit = document.elementFromPoint(x, y);
      if (!hit || el.contains(hit) || hit.contains(el)) continue;
      for (let node = hit; node && node !== document.body; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.opacity === "0") break;  // there, but not seen (a tooltip fading away)
        if ((style.position === "fixed" || style.position === "sticky")
            && !node.contains(el)) {
          state.covered += 1;
          const name = node.tagName.toLowerCase() + "." + String(node.className).split(" ")[0];
          if (!state.coveredBy.includes(name)) state.coveredBy.push(name);
          break;
        }
      }
    }
  }
  return state;
}"""


def focus_state(page) -> dict | None:
    """Where focus is and how it shows; None when nothing has it (the page itself)."""
    return page.evaluate(_FOCUS)


def focus_problem(state: dict) -> str | None:
    """Focus must show (an outline of 2 px or more), be on screen and never hidden under the
    sticky header or another fixed element: not at all for an element that fits easily in the
    viewport, not entirely for one taller than half of it (a wide table's region)."""
    where = f"{state['what']} at y {state['top']:.0f}–{state['bottom']:.0f}"
    if state["outline"] in ("none", "") or state["outlineWidth"] < 2:
        return f"{where}: no visible focus (outline {state['outline']} {state['outlineWidth']})"
    if not state["samples"]:
        return f"{where}: focus is off screen or on something without size"
    small = state["height"] <= state["viewportHeight"] / 2
    if state["covered"] and (small or state["covered"] == state["samples"]):
        return (f"{where}: {'hidden' if state['covered'] == state['samples'] else 'partly hidden'}"
                f" under {', '.join(state['coveredBy'])}")
    return None
