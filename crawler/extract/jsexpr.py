"""Evaluate the small JavaScript expressions real pagers build page URLs with.

A pager link often says only `onclick="gotoPage(3)"`; the URL lives in the page's own script:
`location.href = n == 1 ? "index.html" : "index_" + (n - 1) + ".html"`. Running a browser for
that is heavy and unsafe, so this reads the subset such code uses: string and number literals,
names (the handler's parameter and page-level `var`s), `+ - * /`, comparisons, `? :`, `&& ||`,
parentheses and `parseInt(x)`/`Number(x)`/`String(x)`. Anything else is "cannot tell" (None),
never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["evaluate"]

Value = str | int | float | bool

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>\d+(?:\.\d+)?)
      | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<name>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)
      | (?P<op>===|!==|==|!=|<=|>=|&&|\|\||[-+*/()<>?:,!])
    )""",
    re.X,
)
_PASS = {"parseInt", "Number", "String", "encodeURI", "encodeURIComponent", "parseFloat"}


class _Unknown(Exception):
    pass


def _tokens(expr: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    expr = expr.strip().rstrip(";")
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            if expr[pos:].strip() == "":
                break
            raise _Unknown(expr[pos : pos + 20])
        kind = m.lastgroup or ""
        out.append((kind, m[kind]))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], names: Mapping[str, Value]) -> None:
        self.t, self.i, self.names = tokens, 0, names

    def peek(self) -> str | None:
        return self.t[self.i][1] if self.i < len(self.t) else None

    def take(self, want: str | None = None) -> tuple[str, str]:
        if self.i >= len(self.t) or (want is not None and self.t[self.i][1] != want):
            raise _Unknown(want or "end")
        self.i += 1
        return self.t[self.i - 1]

    def ternary(self) -> Value:
        cond = self.logical()
        if self.peek() == "?":
            self.take("?")
            yes = self.ternary()
            self.take(":")
            no = self.ternary()
            return yes if cond else no
        return cond

    def logical(self) -> Value:
        left = self.compare()
        while self.peek() in ("&&", "||"):
            op = self.take()[1]
            right = self.compare()
            left = (left and right) if op == "&&" else (left or right)
        return left

    def compare(self) -> Value:
        left = self.additive()
        while self.peek() in ("==", "===", "!=", "!==", "<", ">", "<=", ">="):
            op = self.take()[1]
            right = self.additive()
            a, b = left, right
            if isinstance(a, str) != isinstance(b, str):
                a, b = str(a), str(b)
            left = {
                "==": a == b,
                "===": a == b,
                "!=": a != b,
                "!==": a != b,
                "<": a < b,  # type: ignore[operator]
                ">": a > b,  # type: ignore[operator]
                "<=": a <= b,  # type: ignore[operator]
                ">=": a >= b,  # type: ignore[operator]
            }[op]
        return left

    def additive(self) -> Value:
        left = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            right = self.term()
            if op == "+":
                if isinstance(left, str) or isinstance(right, str):
                    left = _js_str(left) + _js_str(right)
                else:
                    left = left + right
            else:
                left = _num(left) - _num(right)
        return left

    def term(self) -> Value:
        left = self.unary()
        while self.peek() in ("*", "/"):
            op = self.take()[1]
            right = self.unary()
            left = _num(left) * _num(right) if op == "*" else _num(left) / (_num(right) or 1)
        return left

    def unary(self) -> Value:
        if self.peek() == "-":
            self.take()
            return -_num(self.unary())
        if self.peek() == "!":
            self.take()
            return not self.unary()
        return self.atom()

    def atom(self) -> Value:
        kind, text = self.take()
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind == "str":
            return re.sub(r"\\(.)", r"\1", text[1:-1])
        if text == "(":
            value = self.ternary()
            self.take(")")
            return value
        if kind == "name":
            if self.peek() == "(":
                if text not in _PASS:
                    raise _Unknown(text)
                self.take("(")
                value = self.ternary()
                while self.peek() == ",":  # parseInt(x, 10)
                    self.take(",")
                    self.ternary()
                self.take(")")
                return _num(value) if text.startswith("parse") or text == "Number" else value
            if text in self.names:
                return self.names[text]
        raise _Unknown(text)


def _num(v: Value) -> int | float:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, str):
        try:
            return int(v)
        except ValueError as exc:
            raise _Unknown(v) from exc
    return v


def _js_str(v: Value) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def evaluate(expr: str, names: Mapping[str, Value]) -> Value | None:
    """The value of `expr` with `names` bound, or None when it uses anything outside the subset."""
    if len(expr) > 400:
        return None
    try:
        parser = _Parser(_tokens(expr), names)
        value = parser.ternary()
        if parser.i != len(parser.t):
            return None
        return value
    except (_Unknown, IndexError, TypeError, ZeroDivisionError):
        return None
