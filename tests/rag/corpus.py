"""A tiny corpus written by the tests: one file per supported format, with known headings and pages.

Each document is about something no other document mentions, so retrieval has one right answer, and
each question below names the file, heading and page its answer must be cited with.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path


def pdf_bytes(pages: list[list[str]], title: str | None = None) -> bytes:
    """A minimal PDF (Helvetica, one text line per entry) with a real text layer on each page."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    objects: list[bytes] = []
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    font_id = 3 + 2 * len(pages)
    info_id = font_id + 1
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    for i, lines in enumerate(pages):
        page_id, content_id = 3 + 2 * i, 4 + 2 * i
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_id} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        assert len(objects) == page_id
        shown = " T* ".join(f"({escape(line)}) Tj" for line in lines)
        stream = f"BT /F1 12 Tf 16 TL 72 720 Td {shown} ET".encode()
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(f"<< /Title ({escape(title or '')}) >>".encode())
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info_id} 0 R >>\n"
    out.write(trailer.encode() + b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Leave Policy", level=1)
    document.add_paragraph("This policy explains how staff request time away from work.")
    document.add_heading("Vacation", level=2)
    document.add_paragraph("Employees receive twenty-five paid vacation days per calendar year.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


GUIDE_MD = """# Widget Guide

## Installation

To install the widget, run the setup program and choose the blue option.

## Maintenance

Clean the widget filter every thirty days with warm soapy water.
"""

GUIDE_MD_CHANGED = """# Widget Guide

## Installation

To install the widget, run the setup program and choose the blue option.

## Maintenance

Replace the widget cartridge every ninety days; the filter no longer needs cleaning.
"""

GARDEN_HTML = b"""<!doctype html><html><head><title>Garden Handbook</title></head><body>
<nav>Home | Plants | Contact</nav>
<main><h1>Garden Handbook</h1>
<h2>Tomatoes</h2><p>Water tomato plants deeply twice a week during the summer months.</p>
<h2>Roses</h2><p>Prune rose bushes in late winter, just before new growth starts.</p>
</main></body></html>"""

LIGHTHOUSE_TXT = (
    "The lighthouse keeper lights the great lamp at dusk and trims the wick at midnight.\n\n"
    "Supply boats reach the lighthouse island on the first Monday of every month.\n"
)

PUMP_PAGES = [
    ["Pump Manual", "Prime the pump with two litres of water before the first use."],
    ["Warranty", "The pump warranty lasts five years from the date of purchase."],
]


def write_corpus(folder: Path, *, broken: bool = True) -> Path:
    """guide.md, garden.html, lighthouse.txt, pump.pdf (2 pages), handbook.docx; plus an empty and a
    corrupt file when ``broken``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "guide.md").write_text(GUIDE_MD)
    (folder / "garden.html").write_bytes(GARDEN_HTML)
    (folder / "lighthouse.txt").write_text(LIGHTHOUSE_TXT)
    (folder / "pump.pdf").write_bytes(pdf_bytes(PUMP_PAGES, title="Pump Manual"))
    (folder / "handbook.docx").write_bytes(docx_bytes())
    if broken:
        (folder / "empty.txt").write_text("")
        (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    return folder


GOOD_FILES = {"guide.md", "garden.html", "lighthouse.txt", "pump.pdf", "handbook.docx"}
BROKEN_FILES = {"empty.txt", "corrupt.pdf"}


@dataclass(frozen=True)
class Question:
    text: str
    source: str
    heading_part: str | None  # a heading the citation must name (None: no heading to check)
    page: int | None
    words: tuple[str, ...]  # words the cited passage must contain


QUESTIONS = [
    Question(
        "How often should the widget filter be cleaned?",
        "guide.md",
        "Maintenance",
        None,
        ("thirty", "days"),
    ),
    Question("How long does the pump warranty last?", "pump.pdf", None, 2, ("five", "years")),
    Question(
        "How many paid vacation days do employees receive?",
        "handbook.docx",
        "Vacation",
        None,
        ("twenty-five",),
    ),
    Question("How often should tomato plants be watered?", "garden.html", "Tomatoes", None, ("twice",)),
]

UNANSWERABLE = "What is the boiling point of liquid nitrogen on Neptune?"
