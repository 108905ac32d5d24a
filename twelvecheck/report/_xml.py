"""Well-formed XML for the JUnit and Checkstyle reports.

ElementTree escapes markup but passes control characters through, and XML 1.0 forbids most of
them; a message quoting a Dockerfile line with an escape character would make the whole report
unreadable. ``element`` cleans every attribute and text it is given.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def element(parent: ET.Element | None, tag: str, text: str | None = None, **attributes: object) -> ET.Element:
    """A child of ``parent`` (or a root when None) with cleaned attributes and text."""
    values = {key: clean(str(value)) for key, value in attributes.items()}
    node = ET.Element(tag, values) if parent is None else ET.SubElement(parent, tag, values)
    if text is not None:
        node.text = clean(text)
    return node


def serialize(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
