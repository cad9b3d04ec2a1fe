"""A web worker loads fpdf2 (with fontTools and Pillow, ~45 MB a process) only when it makes
a PDF: every URL's view imported, the library is not."""

import subprocess
import sys

from django.conf import settings

PROBE = """
import sys
import django
django.setup()
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

def walk(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            walk(pattern.url_patterns)
        else:
            pattern.callback

walk(get_resolver().url_patterns)
print(sorted({name.split(".")[0] for name in sys.modules} & {"fpdf", "fontTools", "PIL"}))
"""


def test_serving_pages_does_not_load_the_pdf_library():
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"
