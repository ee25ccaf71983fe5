"""Certificates as PDF: a Jinja template (templates/certificates/certificate.html) rendered by WeasyPrint, with a
QR code (segno, a PNG data URI) to each certificate's public verification page.

WeasyPrint needs Debian's pango (libpango-1.0-0, libpangoft2-1.0-0) and finds the CJK fonts (fonts-noto-cjk) by
family name through fontconfig; it is imported on first use, so the rest of the app runs on a machine without pango.
Many certificates are printed in chunks of CHUNK pages: each chunk one HTML document (laying pages out together is far
faster than a document per page), written to PDF at once, and the chunks' PDFs joined by pypdf. A chunk is the unit of
progress, and memory stays that of one chunk whatever the count: laying out all 500 pages of a batch before writing
them held 200 MiB of layout, writing chunk by chunk keeps the job's process near 240 MiB (bench/bench_certificates.py).
"""
import io
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from flask import current_app

PDF_TYPE = "application/pdf"
TEMPLATE = "certificates/certificate.html"
CHUNK = 50


def _fetcher():
    """Certificates load nothing but their own data: URIs (the QR codes): no network, no files."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def verify_url(base_url: str, number: str) -> str:
    """The absolute address of a certificate's public verification page (the QR code's content)."""
    return f"{base_url.rstrip('/')}/verify/{number}"


def qr_image(text: str) -> str:
    """A QR code of the text as a PNG data URI, one pixel per module: the template scales it up with
    image-rendering: pixelated, so it prints sharp (an SVG path of the same code took half the PDF's writing time)."""
    import segno

    return segno.make(text, error="m").png_data_uri(scale=1, border=0, dark="#1f2a37")


def _printable(card: Any, base_url: str) -> dict:
    """A card with its verification address and QR code."""
    url = verify_url(base_url, card.number)
    return {**asdict(card), "url": url, "qr": qr_image(url)}


def certificates_html(cards: Sequence[Any], base_url: str, title: str = "") -> str:
    """The certificates' HTML, one page each (the app's Jinja environment; no request needed)."""
    template = current_app.jinja_env.get_template(TEMPLATE)
    return template.render(cards=[_printable(card, base_url) for card in cards], title=title or "certificates")


def render_certificates(cards: Sequence[Any], base_url: str, *, title: str = "",
                        progress: Callable[[int], None] | None = None, chunk: int = CHUNK) -> bytes:
    """The certificates as one PDF, one A4 landscape page each; `progress(done)` is called after each chunk."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts, fetcher = FontConfiguration(), _fetcher()
    parts = []
    for start in range(0, max(len(cards), 1), chunk):
        html = certificates_html(cards[start:start + chunk], base_url, title)
        parts.append(HTML(string=html, url_fetcher=fetcher).write_pdf(font_config=fonts))
        if progress is not None:
            progress(min(start + chunk, len(cards)))
    return parts[0] if len(parts) == 1 else join_pdfs(parts, title)


def join_pdfs(parts: Sequence[bytes], title: str = "") -> bytes:
    """One PDF of the pages of several, in order."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    if title:
        writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    writer.close()
    return out.getvalue()
