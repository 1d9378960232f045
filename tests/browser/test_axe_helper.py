"""The accessibility helper itself: it must find a real violation, or every audit that uses it proves nothing."""

import pytest

from tests.axe import assert_accessible, audit
from tests.chromium import requires_chromium

pytestmark = requires_chromium

BROKEN = """<!doctype html><html lang="en"><head><title>t</title>
<meta http-equiv="Content-Security-Policy" content="script-src 'none'"></head>
<body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button></main></body></html>"""

FINE = """<!doctype html><html lang="en"><head><title>Fine</title></head>
<body><main><h1>Fine</h1><img alt="A dot" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>"""


def test_audit_reports_a_missing_alt_text_and_an_unnamed_button_even_under_a_strict_csp(browser):
    page = browser.new_page()
    page.set_content(BROKEN)
    ids = {violation["id"] for violation in audit(page)}
    assert {"image-alt", "button-name"} <= ids
    with pytest.raises(AssertionError, match="button-name"):
        assert_accessible(page, label="broken page")
    page.close()


def test_a_clean_page_passes_at_desktop_and_phone_widths(browser):
    page = browser.new_page()
    page.set_content(FINE)
    assert_accessible(page, label="fine page")
    page.close()
