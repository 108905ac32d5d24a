"""The Markdown of rule documentation as HTML: the few constructs the docs template uses
(headings, paragraphs, bullet lists, fenced code, inline code, links written out as text, bold),
every piece of text escaped. Not a general Markdown renderer, and no dependency for one."""

from __future__ import annotations

import html
import re

_INLINE = re.compile(r"`([^`]+)`|\[([^\]]+)\]\((https?://[^)\s]+)\)|\*\*([^*]+)\*\*")


def _inline(text: str) -> str:
    out, last = [], 0
    for match in _INLINE.finditer(text):
        out.append(html.escape(text[last:match.start()]))
        code, label, url, bold = match.groups()
        if code is not None:
            out.append(f"<code>{html.escape(code)}</code>")
        elif label is not None:  # shown, not linked: the report stays a page that fetches nothing
            out.append(f'{html.escape(label)} <span class="url">{html.escape(url)}</span>')
        else:
            out.append(f"<strong>{html.escape(bold)}</strong>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def to_html(markdown: str) -> str:
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    lines = markdown.splitlines()

    def flush() -> None:
        if paragraph:
            blocks.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            blocks.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>")
            items.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("```"):
            flush()
            language = line[3:].strip()
            body = []
            index += 1
            while index < len(lines) and not lines[index].startswith("```"):
                body.append(lines[index])
                index += 1
            css = f' class="language-{html.escape(language, quote=True)}"' if language else ""
            blocks.append(f"<pre><code{css}>{html.escape(chr(10).join(body))}</code></pre>")
        elif heading := re.match(r"^(#{1,4})\s+(.*)$", line):
            flush()
            level = min(len(heading.group(1)) + 2, 6)  # below the report's own h2 sections
            blocks.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif re.match(r"^\s*[-*]\s+", line):
            if paragraph:
                flush()
            items.append(re.sub(r"^\s*[-*]\s+", "", line))
        elif not line.strip():
            flush()
        elif items and line.startswith("  "):
            items[-1] += " " + line.strip()
        else:
            if items:
                flush()
            paragraph.append(line.strip())
        index += 1
    flush()
    return "\n".join(blocks)
