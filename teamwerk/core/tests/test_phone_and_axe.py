"""Every page on a phone, and accessible: one browser walks every page as the ICT coordinator of
Campus Noord and as the group's coordinating directeur, 390 px wide.

On each page (loaded once) it checks that nothing scrolls sideways, that no tab of a tab bar is
cut off, and runs axe-core (WCAG 2.1 A and AA) with no serious or critical violation allowed.
The counts per page are written to test-artifacts/axe-counts-<role>.md. Then the menu bar of the
group directeur, who has the most menus, stays on one line at 1200 and 1400 px.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ARTIFACTS, screenshot
from teamwerk.core.testing.pages import is_full_page, page_urls
from teamwerk.core.testing.world import USER_EMAILS, load_world

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
ROLES = ("ict_noord", "directeur")
BLOCKING = {"serious", "critical"}

# Width of the document and every tab that does not fit in the viewport (or is cut off by a
# parent that hides its overflow).
LAYOUT_JS = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = [];
  const tabs = '.nav-tabs .nav-link, .nav-pills .nav-link, .nav-underline .nav-link, [role=tab]';
  for (const tab of document.querySelectorAll(tabs)) {
    const box = tab.getBoundingClientRect();
    if (!box.width || tab.closest('.navbar, .dropdown-menu')) continue;
    let outside = box.left < -1 || box.right > width + 1;
    for (let p = tab.parentElement; p && !outside && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (style.overflowX === 'hidden' || style.overflowX === 'clip') {
        const pb = p.getBoundingClientRect();
        outside = box.left < pb.left - 1 || box.right > pb.right + 1;
      }
    }
    if (outside) clipped.push(tab.textContent.trim().slice(0, 40));
  }
  return {scrollWidth: document.documentElement.scrollWidth, clipped};
}"""

AXE_JS = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, count: v.nodes.length,
    sample: v.nodes.slice(0, 2).map(
      n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').slice(0, 160)),
  }));
}"""


def _wide_offenders(page) -> list[str]:
    """The elements that stick out on the right, to say what to fix."""
    return page.evaluate(
        """() => {
      const width = document.documentElement.clientWidth;
      const out = [];
      for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.right > width + 1 && el.children.length === 0 && box.width)
          out.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' '
                   + Math.round(box.right) + ': ' + el.textContent.trim().slice(0, 30));
        if (out.length > 4) break;
      }
      return out;
    }"""
    )


# One test per role, so the parallel test workers share the walk.
@pytest.mark.browser
@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_a_phone_and_has_no_serious_accessibility_violation(
    browser_page, live_server, sign_in, role
):
    # A phone-sized page of its own whose CSP lets the test add axe-core to each page.
    context = browser_page.context.browser.new_context(
        base_url=live_server.url, viewport=PHONE, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    world = load_world()
    walks = page_urls(world, role)
    axe_script = AXE.read_text()

    problems: list[str] = []
    counts: list[tuple[str, str, dict[str, int], list[dict]]] = []
    walked = 0
    sign_in(page, USER_EMAILS[role])
    for url in walks[role]:
        try:
            response = page.goto(url)
        except Exception as error:  # noqa: BLE001 - a download is not a page
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or response.status != 200:
            problems.append(f"{role} {url}: answered {response and response.status}")
            continue
        if not is_full_page(response.headers.get("content-type", ""), page.content()):
            continue
        walked += 1
        layout = page.evaluate(LAYOUT_JS)
        if layout["scrollWidth"] > PHONE["width"]:
            problems.append(
                f"{role} {url}: {layout['scrollWidth']} px wide; {_wide_offenders(page)}"
            )
            screenshot(page, f"phone-too-wide-{role}-{url.strip('/').replace('/', '_')}")
        if layout["clipped"]:
            problems.append(f"{role} {url}: tabs cut off: {layout['clipped']}")
        page.add_script_tag(content=axe_script)
        violations = page.evaluate(AXE_JS)
        by_impact: dict[str, int] = {}
        for violation in violations:
            impact = violation["impact"] or "minor"
            by_impact[impact] = by_impact.get(impact, 0) + violation["count"]
            if impact in BLOCKING:
                problems.append(
                    f"{role} {url}: axe {impact} {violation['id']} x{violation['count']}: "
                    f"{violation['sample']}"
                )
        counts.append((role, url, by_impact, violations))
    _write_counts(role, counts)

    # The group directeur has the most menus: the bar stays on one line on a laptop.
    for width in (1200, 1400) if role == "directeur" else ():
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/")
        bar = page.evaluate(
            """() => { const nav = document.querySelector('nav.navbar');
                 return {height: nav.getBoundingClientRect().height,
                         scroll: document.documentElement.scrollWidth}; }"""
        )
        if bar["height"] > 80 or bar["scroll"] > width:
            problems.append(f"menu bar at {width} px: {bar}")
            screenshot(page, f"navbar-{width}")
    if role == "directeur":
        screenshot(page, "navbar-directeur-1400")
    context.close()

    assert walked > 50, f"only {walked} pages walked"
    assert problems == [], "\n".join(problems)


def _write_counts(role: str, counts) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    lines = [
        "| role | page | critical | serious | moderate | minor |",
        "|---|---|---|---|---|---|",
    ]
    for role, url, by_impact, _ in counts:
        cells = [str(by_impact.get(i, 0)) for i in ("critical", "serious", "moderate", "minor")]
        lines.append(f"| {role} | {url} | {' | '.join(cells)} |")
    (ARTIFACTS / f"axe-counts-{role}.md").write_text("\n".join(lines) + "\n")
    detail = [{"role": r, "url": u, "violations": v} for r, u, _, v in counts if v]
    (ARTIFACTS / f"axe-violations-{role}.json").write_text(json.dumps(detail, indent=1))
