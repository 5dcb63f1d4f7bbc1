"""writers/docx.py numbers Word comments itself (python-docx looked for the highest id
with an XPath over every comment, for each comment): the ids must still be what Word
and python-docx expect, 0, 1, 2 ... in document order, each anchored once."""
from __future__ import annotations

import re

from conftest import docx_xml

from drafting import api


def test_comment_ids_are_consecutive_and_each_anchored(make_case):
    case = make_case()
    built = api.build(case, "annotated-agenda", "fr")
    data = api.write_docx_bytes(case, built)
    comments = re.findall(r'<w:comment [^>]*w:id="(\d+)"', docx_xml(data, "word/comments.xml"))
    body = docx_xml(data)
    assert len(comments) > 20
    assert comments == [str(i) for i in range(len(comments))]
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        assert re.findall(rf'<w:{tag} w:id="(\d+)"', body) == comments, tag
    # a second document made in the same process numbers its own comments from 0
    again = api.write_docx_bytes(case, api.build(case, "reply", "fr"))
    assert re.findall(r'<w:comment [^>]*w:id="(\d+)"', docx_xml(again, "word/comments.xml"))[:1] == ["0"]
