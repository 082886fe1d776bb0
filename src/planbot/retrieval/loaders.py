"""Reading guide files (.md .txt .html .docx .pdf) into text with light Markdown structure.

Headings become '#' lines and tables become '|' rows so the chunker can keep structure.
Encodings are detected (UTF-8, UTF-16 with BOM, GBK, Big5 ...) because guides copied from
Chinese sites arrive in all of them.

Front matter (`---` lines around `key: value` lines: title, id, lang, tags) that is not valid
YAML, or is never closed, refuses the file with what is wrong: indexed as text it would become
the title "---" and a passage of stray metadata, and the metadata meant for it would be lost.
Three dashes around ordinary text (Markdown rules) are text, as before.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from charset_normalizer import from_bytes

from planbot.core.controls import strip_controls
from planbot.errors import BadInput, TooLarge
from planbot.retrieval.cleaning import noise_line, strip_pinyin

SUPPORTED = (".md", ".markdown", ".txt", ".html", ".htm", ".docx", ".pdf")
MAX_PDF_PAGES = 500
MAX_DOCX_INFLATED = 50 * 1024 * 1024  # a DOCX that inflates beyond this is refused (zip bomb)
_FRONT = re.compile(r"\A---[ \t]*\n(?:(.*?)\n)?---[ \t]*(?:\n|\Z)", re.S)
_OPENING = re.compile(r"\A---[ \t]*\n")
_YAML_KEY = re.compile(r"^[ \t]*[\w\u4e00-\u9fff-]+[ \t]*:(?:\s|$)", re.M)
_WORDS = re.compile(r"[^\W_]")  # a line with a letter or digit (not a rule of dashes or a table border)


@dataclass
class RawDocument:
    """A loaded file: its text (original script kept for display) and front-matter metadata."""

    title: str
    text: str
    source: str
    doc_id: str | None = None
    lang: str | None = None
    tags: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    """Bytes to text: BOMs first, then strict UTF-8, then detection (GBK, Big5, ...)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise BadInput("the file looks binary, not text")
    best = from_bytes(data, cp_isolation=["gb18030", "gbk", "big5", "utf_16", "cp1252", "shift_jis"]).best()
    if best is None:
        raise BadInput("cannot tell the text encoding of this file")
    return str(best)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    bad = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\r\t\f"))
    return bool(sample) and bad / len(sample) > 0.02


def _yaml_problem(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
        mark = exc.problem_mark
        return f"{exc.problem} (line {mark.line + 2} of the file)" if mark is not None else exc.problem
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _front_matter(text: str, filename: str) -> tuple[dict[str, object], str]:
    """The front matter's metadata and the text after it; BadInput for a block meant as front matter
    (it has `key:` lines) that does not parse or is never closed."""
    m = _FRONT.match(text)
    if not m:
        opening = _OPENING.match(text)
        first = next((line for line in text[opening.end() : 2000].splitlines() if line.strip()), "") if opening else ""
        if _YAML_KEY.match(first):
            raise BadInput(
                f"the front matter at the top of {filename} has no closing '---' line: end the block of "
                "`key: value` lines with a line of three dashes, or remove it"
            )
        return {}, text
    block = m.group(1) or ""
    try:
        meta = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        if not _YAML_KEY.search(block):
            return {}, text  # rules of dashes around ordinary text
        raise BadInput(
            f"the front matter at the top of {filename} is not valid YAML: {_yaml_problem(exc)}; "
            "fix it (quote values that contain a colon) or remove the block between the '---' lines"
        ) from exc
    if meta is None:
        return {}, text[m.end() :]  # an empty block
    if not isinstance(meta, dict):
        return {}, text  # rules of dashes around ordinary text
    return meta, text[m.end() :]


def _one_line(value: object) -> str:
    """A title as it is shown: one line, no control characters."""
    return " ".join(strip_controls(str(value)).split())


_TRAIL = re.compile(r"\s+(?:/|>|›|»)\s+")  # a breadcrumb's separators ("空间：运营 / 页面树 / 私域")
_MENU = re.compile(r"\S+(?:\s{2,}\S+){2,}")  # a menu bar: three or more words spaced apart ("Home   Blog   About")


def _site_trail(line: str) -> bool:
    """A breadcrumb or a menu bar: a page's place on its site, never its title."""
    parts = _TRAIL.split(line)
    if len(parts) >= 3 and all(len(p) <= 20 for p in parts):
        return True
    return bool(_MENU.fullmatch(line)) and not re.search(r"\d", line) and all(len(w) <= 15 for w in line.split())


def _title_from(text: str, fallback: str) -> str:
    for line in text.splitlines():
        raw = strip_pinyin(line.strip().lstrip("#").strip())
        s = _one_line(raw)
        if s and _WORDS.search(s) and not noise_line(s) and not _site_trail(raw):
            return s[:120]
    return fallback


def _html_to_text(html: str) -> tuple[str, str | None]:
    from bs4 import BeautifulSoup  # noqa: PLC0415 - only HTML files need it

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "nav", "footer", "header", "aside", "form", "noscript", "iframe"]):
        tag.decompose()
    title = soup.title.get_text(strip=True) if soup.title else None
    lines: list[str] = []
    body = soup.body or soup
    for el in body.find_all(["h1", "h2", "h3", "h4", "p", "li", "table", "pre", "blockquote", "div"]):
        if el.name == "div" and el.find(["p", "h1", "h2", "h3", "h4", "li", "table", "div"]):
            continue  # a container: its children are visited on their own
        if el.find_parent("table") is not None:
            continue
        if el.name in ("h1", "h2", "h3", "h4"):
            lines.append("#" * int(el.name[1]) + " " + el.get_text(" ", strip=True))
        elif el.name == "table":
            for row in el.find_all("tr"):
                cells = [c.get_text(" ", strip=True) for c in row.find_all(["td", "th"])]
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
        else:
            text = el.get_text(" ", strip=True)
            if text:
                lines.append(("- " if el.name == "li" else "") + text)
    return "\n".join(lines), title


def _docx_to_text(data: bytes) -> str:
    from docx import Document  # noqa: PLC0415

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_DOCX_INFLATED:
                raise TooLarge("the DOCX inflates to more than 50 MB; refusing it")
    except zipfile.BadZipFile as exc:
        raise BadInput("the file is not a valid DOCX (not a zip archive)") from exc
    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors... for broken packages
        raise BadInput(f"the DOCX cannot be read ({type(exc).__name__}); save it again from Word") from exc
    lines: list[str] = []
    body = doc.element.body
    tables = {t._tbl: t for t in doc.tables}
    paragraphs = {p._p: p for p in doc.paragraphs}
    for child in body.iterchildren():
        if child in paragraphs:
            p = paragraphs[child]
            text = p.text.strip()
            if not text:
                continue
            style = (p.style.name if p.style is not None else "") or ""
            m = re.match(r"Heading (\d)", style) or re.match(r"标题 ?(\d)", style)
            if m:
                lines.append("#" * min(int(m.group(1)) + 1, 4) + " " + text)
            elif style == "Title":
                lines.append("# " + text)
            else:
                lines.append(text)
        elif child in tables:
            for row in tables[child].rows:
                lines.append("| " + " | ".join(c.text.strip() for c in row.cells) + " |")
            lines.append("")
    return "\n".join(lines)


def _pdf_to_text(data: bytes) -> str:
    from pypdf import PdfReader  # noqa: PLC0415
    from pypdf.errors import PdfReadError  # noqa: PLC0415

    try:
        reader = PdfReader(io.BytesIO(data))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise BadInput(f"the PDF has {len(reader.pages)} pages; guides of up to {MAX_PDF_PAGES} pages are read")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise BadInput(f"the PDF cannot be read: {exc}") from exc
    text = "\n\n".join(pages)
    if len(re.sub(r"\s", "", text)) < 20:
        raise BadInput("the PDF has no text layer (scanned pages?); export it with text or OCR it first")
    return text


def load_bytes(data: bytes, filename: str) -> RawDocument:
    """Load an upload or a file's bytes; the file name is used for its extension and title only."""
    suffix = Path(filename).suffix.lower()
    stem = Path(filename).stem or "document"
    if suffix not in SUPPORTED:
        raise BadInput(f"unsupported file type {suffix or '(none)'}; supported: {', '.join(SUPPORTED)}")
    if suffix == ".docx":
        text, title = _docx_to_text(data), None
    elif suffix == ".pdf":
        text, title = _pdf_to_text(data), None
    else:
        text = decode(data)
        if _looks_binary(text):
            raise BadInput(f"{filename} is not a text file")
        title = None
        if suffix in (".html", ".htm"):
            text, title = _html_to_text(text)
    meta, body = _front_matter(text, filename)
    tags = meta.get("tags")
    if isinstance(tags, str):
        tags = [tags]
    named = _one_line(meta.get("title") or title or "")
    return RawDocument(
        title=named[:200] or _title_from(body, _one_line(stem) or "document"),
        text=body,
        source=strip_controls(filename),
        doc_id=(_one_line(meta["id"]) or None) if meta.get("id") else None,
        lang=str(meta["lang"]) if meta.get("lang") else None,
        tags=[_one_line(t) for t in tags if _one_line(t)] if isinstance(tags, list) else [],
    )


def load_file(path: Path) -> RawDocument:
    return load_bytes(path.read_bytes(), path.name)


def iter_files(paths: list[Path]) -> list[Path]:
    """Files to ingest under the given files and folders, supported types only, sorted."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(f for f in sorted(p.rglob("*")) if f.is_file() and f.suffix.lower() in SUPPORTED
                       and f.name.lower() != "readme.md")  # fmt: skip
        else:
            out.append(p)
    return out
