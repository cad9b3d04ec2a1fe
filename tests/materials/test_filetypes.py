import io

import pytest

from materials.filetypes import DOCX, EPUB, PDF, TEXT, detect_type
from tests.factories.materials import PDF_BYTES
from tests.materials.files import DOCX_BYTES, EPUB_BYTES, EXE_BYTES, PNG_BYTES, zip_bytes


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, PDF),
        (PNG_BYTES, "image/png"),
        (DOCX_BYTES, DOCX),
        (EPUB_BYTES, EPUB),
        (b"Week 3: notice the urge, name it, let it pass.\n", TEXT),
        ("\ufeffCafé – naïve text with a BOM\r\n".encode(), TEXT),
    ],
    ids=["pdf", "png", "docx", "epub", "text", "text-bom"],
)
def test_allowed_types_are_recognised_from_content(content, expected):
    assert detect_type(io.BytesIO(content)) == expected


@pytest.mark.parametrize(
    "content",
    [
        EXE_BYTES,  # a Windows executable, whatever it is called
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64,  # a Linux executable
        zip_bytes({"payload.exe": EXE_BYTES}),  # a zip that is neither DOCX nor EPUB
        zip_bytes({"mimetype": b"application/epub+zip"}),  # EPUB marker without its container
        b"\x89\x00junk before %PDF-1.4",  # binary with a PDF marker later on
        b"text with a NUL\x00 byte",
        b"\xff\xfe\xfa not UTF-8",
        b"",
        b"PK\x03\x04 truncated zip",
    ],
    ids=[
        "exe",
        "elf",
        "zip",
        "epub-marker-only",
        "pdf-late",
        "nul",
        "not-utf8",
        "empty",
        "bad-zip",
    ],
)
def test_anything_else_is_refused(content):
    assert detect_type(io.BytesIO(content)) is None


def test_detection_leaves_the_file_at_its_start():
    fileobj = io.BytesIO(DOCX_BYTES)
    detect_type(fileobj)
    assert fileobj.tell() == 0
