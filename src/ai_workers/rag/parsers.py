"""Turn a file's bytes into structural blocks (headings, paragraphs, pages), one function per format.

Each parser keeps what citations need (title, heading path, page number) and drops page furniture
(navigation, scripts, Sphinx's ``¶`` anchors). They are plain synchronous functions over bytes: the
ingest step runs them in a worker thread. A file that cannot be parsed raises ``ParseError`` with a
reason for the ingest report; it never stops a folder's ingest.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from ai_workers.rag.types import Block, ParsedDocument


class ParseError(ValueError):
    """The file is unreadable, of an unsupported type, or has no text."""


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BLANK_LINES = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def _clean(text: str) -> str:
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.splitlines()).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if b"\x00" in data[:4096]:
        raise ParseError("binary file, not text")
    return data.decode("latin-1")


def _stem_title(source: str) -> str:
    return PurePath(source).stem.replace("_", " ").replace("-", " ").strip() or source


def parse_text(data: bytes, source: str) -> ParsedDocument:
    text = _decode(data)
    blocks = [Block(_clean(p)) for p in _BLANK_LINES.split(text) if p.strip()]
    return ParsedDocument(source=source, title=_stem_title(source), blocks=blocks, kind="text")


def parse_markdown(data: bytes, source: str) -> ParsedDocument:
    """ATX headings (``#``..``######``) set the heading path; fenced code stays one block."""
    text = _decode(data)
    blocks: list[Block] = []
    path: list[str] = []
    levels: list[int] = []
    title: str | None = None
    paragraph: list[str] = []
    in_fence = False

    def flush() -> None:
        if paragraph:
            joined = "\n".join(paragraph) if in_fence else _clean("\n".join(paragraph))
            if joined.strip():
                blocks.append(Block(joined.strip("\n"), tuple(path)))
            paragraph.clear()

    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            if in_fence:
                paragraph.append(line)
                flush()
                in_fence = False
            else:
                flush()
                in_fence = True
                paragraph.append(line)
            continue
        if in_fence:
            paragraph.append(line)
            continue
        match = _MD_HEADING.match(line)
        if match:
            flush()
            level, heading = len(match.group(1)), match.group(2).strip()
            while levels and levels[-1] >= level:
                levels.pop()
                path.pop()
            levels.append(level)
            path.append(heading)
            title = title or heading
            blocks.append(Block(heading, tuple(path), is_heading=True))
        elif not line.strip():
            flush()
        else:
            paragraph.append(line)
    flush()
    return ParsedDocument(source=source, title=title or _stem_title(source), blocks=blocks, kind="markdown")


_HTML_BLOCKS = ("p", "pre", "li", "dt", "dd", "th", "td", "blockquote", "figcaption", "caption")
_HTML_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_HTML_DROP = ("script", "style", "noscript", "nav", "header", "footer", "form", "template", "svg")
_HTML_DROP_CLASSES = ("sphinxsidebar", "related", "headerlink", "footer", "navigation", "toctree-wrapper")


def parse_html(data: bytes, source: str) -> ParsedDocument:
    """Headings h1-h6 set the path; leaf block elements (p, li, pre, dd...) become blocks.

    lxml (a C parser, about 30x faster than BeautifulSoup on a 250 KB Sphinx page, where BeautifulSoup
    took longer than embedding the page) when installed, else BeautifulSoup: same blocks either way.
    """
    try:
        import lxml.html  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        return _parse_html_bs4(data, source)
    return _parse_html_lxml(data, source)


# Inline text is joined without separators ("json.dumps(obj)", not "json. dumps ( obj )"); these
# elements end a line of text, so they get a space.
_HTML_BREAKS = frozenset(
    ("br", "p", "div", "li", "dt", "dd", "tr", "td", "th", "table", "ul", "ol", "dl", "section")
).union(_HTML_HEADINGS)


def _html_text(element: Any) -> str:
    parts: list[str] = []

    def walk(el: Any) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                if child.tag in _HTML_BREAKS:
                    parts.append(" ")
                    walk(child)
                    parts.append(" ")
                else:
                    walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts)


def _parse_html_lxml(data: bytes, source: str) -> ParsedDocument:
    import lxml.html
    from lxml import etree

    try:
        doc = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"not readable HTML: {exc}") from exc
    title_tag = doc.find(".//title")
    title_text = _clean(title_tag.text_content()) if title_tag is not None else ""
    drop_tags, drop_classes = frozenset(_HTML_DROP), frozenset(_HTML_DROP_CLASSES)
    doomed = [
        el
        for el in doc.iter()
        if not isinstance(el.tag, str)  # comments, processing instructions
        or el.tag in drop_tags
        or (el.get("class") and not drop_classes.isdisjoint(el.get("class", "").split()))
    ]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the text that follows the element
    body = doc.find("body")
    root = next(iter(doc.xpath("//*[@role='main'] | //main | //article")), doc if body is None else body)
    wanted = frozenset(_HTML_BLOCKS) | frozenset(_HTML_HEADINGS)
    blocks: list[Block] = []
    path: list[str] = []
    levels: list[int] = []
    first_h1: list[str] = []

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag not in wanted:
                walk(child)
                continue
            text = child.text_content().strip("\n") if tag == "pre" else _clean(_html_text(child))
            if not text:
                continue
            if tag in _HTML_HEADINGS:
                level = int(tag[1])
                while levels and levels[-1] >= level:
                    levels.pop()
                    path.pop()
                levels.append(level)
                path.append(text)
                if level == 1 and not first_h1:
                    first_h1.append(text)
                blocks.append(Block(text, tuple(path), is_heading=True))
            else:
                blocks.append(Block(text, tuple(path)))

    walk(root)
    title = (first_h1[0] if first_h1 else "") or title_text or _stem_title(source)
    return ParsedDocument(source=source, title=title, blocks=blocks, kind="html")


def _parse_html_bs4(data: bytes, source: str) -> ParsedDocument:
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(data, "html.parser")
    title_tag = soup.find("title")
    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    for cls in _HTML_DROP_CLASSES:
        for tag in soup.find_all(class_=cls):
            tag.decompose()
    root = soup.find(role="main") or soup.find("main") or soup.find("article") or soup.body or soup
    wanted = set(_HTML_BLOCKS) | set(_HTML_HEADINGS)
    blocks: list[Block] = []
    path: list[str] = []
    levels: list[int] = []
    first_h1: str | None = None
    for tag in root.find_all(list(wanted)):
        if not isinstance(tag, Tag) or any(p.name in wanted for p in tag.parents if isinstance(p, Tag)):
            continue  # nested inside another block we take whole
        text = tag.get_text().strip("\n") if tag.name == "pre" else _clean(tag.get_text(" "))
        if not text:
            continue
        if tag.name in _HTML_HEADINGS:
            level = int(tag.name[1])
            while levels and levels[-1] >= level:
                levels.pop()
                path.pop()
            levels.append(level)
            path.append(text)
            first_h1 = first_h1 or (text if level == 1 else None)
            blocks.append(Block(text, tuple(path), is_heading=True))
        else:
            blocks.append(Block(text, tuple(path)))
    title = first_h1 or (_clean(title_tag.get_text()) if title_tag else "") or _stem_title(source)
    return ParsedDocument(source=source, title=title, blocks=blocks, kind="html")


def parse_pdf(data: bytes, source: str) -> ParsedDocument:
    """One block per paragraph per page; the page number travels with every block."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ParseError("encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = reader.metadata.title if reader.metadata else None
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ParseError(f"not a readable PDF: {exc}") from exc
    blocks: list[Block] = []
    for number, page_text in enumerate(pages, start=1):
        for para in _BLANK_LINES.split(page_text):
            cleaned = _clean(para)
            if cleaned:
                blocks.append(Block(cleaned, (), page=number))
    title = str(meta_title).strip() if meta_title else _stem_title(source)
    return ParsedDocument(source=source, title=title, blocks=blocks, pages=max(1, len(pages)), kind="pdf")


def parse_docx(data: bytes, source: str) -> ParsedDocument:
    """Word's "Heading N" / "Title" paragraph styles set the heading path."""
    try:
        import docx
    except ImportError as exc:
        raise ParseError("DOCX support needs python-docx: pip install 'ai-workers[docx]'") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zipfile/lxml/KeyError variants for broken files
        raise ParseError(f"not a readable DOCX: {exc}") from exc
    blocks: list[Block] = []
    path: list[str] = []
    levels: list[int] = []
    title = (document.core_properties.title or "").strip()
    for para in document.paragraphs:
        text = _clean(para.text)
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        level = 0
        if style == "Title":
            level = 1
            title = title or text
        elif style.startswith("Heading"):
            digits = style.removeprefix("Heading").strip()
            level = int(digits) if digits.isdigit() else 1
        if level:
            while levels and levels[-1] >= level:
                levels.pop()
                path.pop()
            levels.append(level)
            path.append(text)
            blocks.append(Block(text, tuple(path), is_heading=True))
        else:
            blocks.append(Block(text, tuple(path)))
    for table in document.tables:
        for row in table.rows:
            cells = " | ".join(_clean(cell.text) for cell in row.cells if cell.text.strip())
            if cells:
                blocks.append(Block(cells, tuple(path)))
    return ParsedDocument(source=source, title=title or _stem_title(source), blocks=blocks, kind="docx")


PARSERS: dict[str, Callable[[bytes, str], ParsedDocument]] = {
    ".txt": parse_text,
    ".text": parse_text,
    ".rst": parse_text,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    ".html": parse_html,
    ".htm": parse_html,
    ".pdf": parse_pdf,
    ".docx": parse_docx,
}


def supported(name: str) -> bool:
    return PurePath(name).suffix.lower() in PARSERS


def parse(data: bytes, source: str) -> ParsedDocument:
    """Parse by file extension (sniffing PDF by its magic bytes). Raises ParseError."""
    suffix = PurePath(source).suffix.lower()
    parser = PARSERS.get(suffix)
    if data[:5] == b"%PDF-":
        parser = parse_pdf
    if parser is None:
        known = ", ".join(sorted(PARSERS))
        raise ParseError(f"unsupported file type '{suffix or '(none)'}' (supported: {known})")
    if not data.strip():
        raise ParseError("empty file")
    parsed = parser(data, source)
    if not any(not b.is_heading for b in parsed.blocks):
        raise ParseError("no text found in the file")
    return parsed
