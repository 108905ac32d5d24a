"""The header guard must frame a tar exactly as tarfile reads it, or a limit could be dodged by
an entry tarfile sees and the guard does not: compare both on tars of every format and type."""

from __future__ import annotations

import io
import tarfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twelvecheck.build.layerstream import Limits, LayerStream, UnpackError

KINDS = [tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.DIRTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE,
         tarfile.FIFOTYPE, tarfile.CHRTYPE, tarfile.CONTTYPE]
NAMES = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x2FF, blacklist_characters="/\\"), min_size=1,
                max_size=20)


@st.composite
def tars(draw):
    fmt = draw(st.sampled_from([tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT]))
    out = io.BytesIO()
    count = 0
    with tarfile.open(fileobj=out, mode="w", format=fmt, encoding="utf-8") as tar:
        for _ in range(draw(st.integers(0, 8))):
            parts = draw(st.lists(NAMES, min_size=1, max_size=8 if fmt != tarfile.USTAR_FORMAT else 3))
            info = tarfile.TarInfo("/".join(parts))
            info.type = draw(st.sampled_from(KINDS))
            data = draw(st.binary(max_size=1500)) if info.type in tarfile.REGULAR_TYPES else b""
            info.size = len(data)
            if info.type in (tarfile.SYMTYPE, tarfile.LNKTYPE):
                info.linkname = "/".join(draw(st.lists(NAMES, min_size=1, max_size=6)))
            if fmt == tarfile.PAX_FORMAT and draw(st.booleans()):
                info.pax_headers = {"SCHILY.xattr.user.x": draw(NAMES)}
            try:
                tar.addfile(info, io.BytesIO(data))
            except ValueError:  # a name or link too long for ustar
                continue
            count += 1
    return out.getvalue(), count


@settings(max_examples=150, deadline=None)
@given(tars())
def test_the_guard_counts_what_tarfile_reads(case):
    data, count = case
    with tarfile.open(fileobj=io.BytesIO(data), mode="r|") as tar:
        members = list(tar)
    stream = LayerStream(io.BytesIO(data), "layer", Limits())
    if len(members) != count:
        # tarfile misreads its own output (a long name whose first 100 bytes end in "/" makes a
        # regular file a directory, and its data a "header" tarfile silently stops at): the
        # guard, stricter, refuses the layer
        with pytest.raises(UnpackError, match="checksum"):
            stream.finish()
        return
    stream.finish()
    assert stream.guard.entries == len(members) == count
    assert stream.guard.declared == sum(m.size for m in members if m.isreg() or m.type not in tarfile.SUPPORTED_TYPES)
    assert stream.guard.name.rstrip("/") == (members[-1].name if members else "")  # names in messages
