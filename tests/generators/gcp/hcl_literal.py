"""Decoding an HCL quoted string literal the way Terraform does, strictly.

python-hcl2 keeps template escapes (`$${`, `%%{`) as written and returns live `${...}`
sequences as plain text, so a round trip through it alone cannot tell an escaped `${` from an
injected interpolation. This decoder takes the raw literal hcl2 parsed and fails on any live
template sequence.
"""

from __future__ import annotations

_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


class LiveTemplateError(AssertionError):
    pass


def decode(literal: str) -> str:
    assert literal.startswith('"') and literal.endswith('"') and len(literal) >= 2, literal
    body = literal[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            nxt = body[i + 1]
            if nxt in _SIMPLE:
                out.append(_SIMPLE[nxt])
                i += 2
            elif nxt == "u":
                out.append(chr(int(body[i + 2 : i + 6], 16)))
                i += 6
            elif nxt == "U":
                out.append(chr(int(body[i + 2 : i + 10], 16)))
                i += 10
            else:
                raise AssertionError(f"unknown escape \\{nxt} in {literal!r}")
        elif ch in "$%" and body.startswith(ch + ch + "{", i):
            out.append(ch + "{")
            i += 3
        elif ch in "$%" and body.startswith(ch + "{", i):
            raise LiveTemplateError(f"live template sequence at {i} in {literal!r}")
        elif ch == '"':
            raise AssertionError(f"unescaped quote at {i} in {literal!r}")
        else:
            out.append(ch)
            i += 1
    return "".join(out)
