"""Accessibility audits for the browser tests: axe-core (vendored from npm in tests/vendor/axe-core) run in the page.

`assert_accessible(page)` checks the page at desktop and phone widths and fails with a readable list of every serious
or critical violation. axe is evaluated through the DevTools protocol, so a strict Content-Security-Policy on the page
does not stop it.
"""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
BLOCKING_IMPACTS = ("serious", "critical")


def audit(page, *, impacts=BLOCKING_IMPACTS) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now; return the violations of those impacts."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE + "\n;undefined")
    result = page.evaluate(
        """async () => await window.axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            resultTypes: ["violations"],
        })"""
    )
    return [v for v in result["violations"] if v.get("impact") in impacts]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['impact']}: {violation['id']} — {violation['help']} ({targets})")
    return "\n".join(lines)


def assert_accessible(page, *, viewports=(DESKTOP, PHONE), label: str = "") -> None:
    """Fail if the page has serious or critical violations at any of the viewports (the page is left at the last)."""
    problems = []
    for viewport in viewports:
        page.set_viewport_size(viewport)
        page.wait_for_timeout(50)  # let media queries and layout settle before auditing
        violations = audit(page)
        if violations:
            problems.append(f"at {viewport['width']}x{viewport['height']}:\n{describe(violations)}")
    where = label or page.url
    assert not problems, f"accessibility violations on {where}\n" + "\n".join(problems)
