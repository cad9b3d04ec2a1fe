"""Decide what an uploaded file is from its bytes; its name and the browser's claim are ignored."""

import codecs
import re
import zipfile

import filetype

PDF = "application/pdf"
EPUB = "application/epub+zip"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"

# Allowed types and the extension of the neutral download name.
EXTENSIONS = {
    PDF: "pdf",
    EPUB: "epub",
    DOCX: "docx",
    TEXT: "txt",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}
# Types a browser may show in the page rather than download.
INLINE_TYPES = {PDF, TEXT, "image/png", "image/jpeg", "image/gif", "image/webp"}

_SNIFFED = {PDF, "image/png", "image/jpeg", "image/gif", "image/webp"}
_HEAD_BYTES = 8192
# Control characters that never appear in real text (tab, newlines and form feed do).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def detect_type(fileobj) -> str | None:
    """The allowed MIME type the content really has, or None. Leaves the file at its start."""
    try:
        fileobj.seek(0)
        head = fileobj.read(_HEAD_BYTES)
        if head.startswith(b"PK\x03\x04"):
            return _zip_type(fileobj)
        guess = filetype.guess(head)
        if guess is not None:
            allowed = guess.mime in _SNIFFED and _header_agrees(guess.mime, head)
            return guess.mime if allowed else None
        return TEXT if _is_plain_text(fileobj) else None
    finally:
        fileobj.seek(0)


def _header_agrees(mime: str, head: bytes) -> bool:
    # filetype finds "%PDF" anywhere in the first bytes; a real PDF starts with it.
    return head.startswith(b"%PDF-") if mime == PDF else True


def _zip_type(fileobj) -> str | None:
    """EPUB and DOCX are zip archives; tell them apart by the entries each must have."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and "META-INF/container.xml" in names:
                info = archive.getinfo("mimetype")
                # A tiny entry; a larger one is not a real EPUB marker (and could be a bomb).
                if info.file_size <= 64 and archive.read(info).strip() == EPUB.encode():
                    return EPUB
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None
    return None


def _is_plain_text(fileobj) -> bool:
    """UTF-8 text without NUL bytes or other control characters than whitespace."""
    fileobj.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    seen_any = False
    try:
        while chunk := fileobj.read(64 * 1024):
            seen_any = True
            text = decoder.decode(chunk)
            if _CONTROL.search(text):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return seen_any
