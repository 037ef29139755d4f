"""A safe parser that turns formula text into a sympy expression.

User text (payoff formulas, scenario values, ``--set name=value``) is data,
never code: it is parsed with :mod:`ast` and only a whitelist of node types
is translated into sympy, so nothing is evaluated or imported.  Allowed:

* numbers (ints and decimals; decimals become exact rationals, ``0.1 == 1/10``);
* names, optionally restricted to a set of known parameters;
* ``+ - * / **`` and unary ``+``/``-``, with parentheses;
* calls of a few named functions: ``exp log sqrt min max abs``.

Everything else -- attribute access, subscripts, other calls, lambdas,
comprehensions, strings, comparisons, keyword arguments -- raises
:class:`~deterrence.errors.FormulaError` naming the construct and its column.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Collection
from fractions import Fraction
from typing import Any

from deterrence.errors import FormulaError
from deterrence.numbers import MAX_DIGITS, too_many_digits

__all__ = ["parse_formula", "parse_number", "substitute_checked", "FUNCTIONS"]

#: Function names a formula may call, mapped to sympy function names.
FUNCTIONS = {"exp": "exp", "log": "log", "sqrt": "sqrt", "min": "Min", "max": "Max", "abs": "Abs"}
_MAX_LENGTH = 2000


#: Largest decimal exponent accepted in a number literal: ``1e-999999999`` would
#: otherwise become a Fraction with a billion-digit denominator (and hang).
_MAX_EXPONENT = 400
#: Largest exact power built from numbers, in bits: ``((2**100)**100)**100``
#: already has a million bits, and one more level would exhaust memory.
_MAX_POWER_BITS = 100_000
#: Largest number a literal exponent, or any number inside a symbolic exponent, may hold:
#: ``x**1000`` and ``10**(100000000*x)`` are refused (the second would take minutes at x = 1).
MAX_EXPONENT_LITERAL = 100
_EXPONENT = re.compile(r"[eE]([+-]?[\d_]+)\s*\Z")
#: A plain exact number, ``-12`` or ``3/7``: longer than a formula may be, but what the writers
#: produce for exact payoffs of up to MAX_DIGITS digits, so it must read back.
_PLAIN_NUMBER = re.compile(r"\s*(-?\d+)(?:/(\d+))?\s*\Z")


def _long_plain_number(text: str) -> Fraction | None:
    """A plain integer or fraction longer than _MAX_LENGTH, within MAX_DIGITS digits a part; else None.

    Raises
    ------
    FormulaError
        If it is a plain number with a part longer than MAX_DIGITS digits, or a zero denominator.
    """
    if len(text) > 2 * MAX_DIGITS + 64:
        return None
    match = _PLAIN_NUMBER.match(text)
    if match is None:
        return None
    digits = max(len(part.lstrip("-")) for part in match.groups() if part is not None)
    if digits > MAX_DIGITS:
        raise FormulaError(f"number with {digits} digits; at most {MAX_DIGITS} are accepted")
    try:
        return Fraction(text.strip())
    except ZeroDivisionError:
        raise FormulaError(f"number {text.strip()[:20]}...: division by zero") from None


def _fail(text: str, node: ast.AST | None, message: str) -> FormulaError:
    column = getattr(node, "col_offset", None)
    # Columns count from the start of the text as typed, leading blanks included.
    lead = len(text) - len(text.lstrip())
    where = f" at column {column + 1 + lead}" if column is not None else ""
    return FormulaError(f"formula {text!r}: {message}{where}")


def _exponent_ok(literal: str) -> bool:
    """False if a decimal literal's exponent is too large to expand exactly."""
    match = _EXPONENT.search(literal)
    return match is None or abs(int(match.group(1).replace("_", ""))) <= _MAX_EXPONENT


def _statement_kind(text: str) -> str | None:
    """Name the statement in ``text`` (``import``, ``assignment``...) if it parses as one."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            body = ast.parse(text, mode="exec").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not body or isinstance(body[0], ast.Expr):
        return None
    return type(body[0]).__name__


def parse_formula(text: str, names: Collection[str] | None = None) -> Any:
    """Parse ``text`` into a sympy expression without evaluating any code.

    Parameters
    ----------
    text : str
        The formula, for example ``"lam * rho - k_K"``.
    names : collection of str, optional
        If given, the only names allowed; any other name is an error that
        lists the known names.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    FormulaError
        On a syntax error, an unknown name, or a forbidden construct.

    Examples
    --------
    >>> print(parse_formula("2*w - c/4"))
    -c/4 + 2*w
    >>> print(parse_formula("0.1 + 1/5"))
    3/10
    >>> parse_formula("__import__('os')")
    Traceback (most recent call last):
    ...
    deterrence.errors.FormulaError: formula "__import__('os')": function '__import__' is not allowed; ...
    """
    if not isinstance(text, str):
        raise FormulaError(f"formula must be text, got {type(text).__name__}")
    if len(text) > _MAX_LENGTH:
        number = _long_plain_number(text)
        if number is None:
            raise FormulaError(f"formula is longer than {_MAX_LENGTH} characters")
        import sympy

        return sympy.Rational(number.numerator, number.denominator)
    if not text.strip():
        raise FormulaError("formula is empty")
    try:
        with warnings.catch_warnings():  # e.g. "'int' object is not callable" for 1(2)
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        statement = _statement_kind(text.strip())
        if statement is not None:
            raise FormulaError(
                f"formula {text!r}: a statement ({statement}) is not allowed; write an expression"
            ) from None
        lead = len(text) - len(text.lstrip())
        column = f" at column {error.offset + lead}" if error.offset else ""
        raise FormulaError(f"formula {text!r}: syntax error ({error.msg}){column}") from None
    except (ValueError, RecursionError, MemoryError):
        raise FormulaError(f"formula {text!r}: cannot be parsed") from None
    import sympy

    allowed = None if names is None else set(names)
    try:
        return _Translator(text, allowed, sympy).visit(tree.body)
    except RecursionError:
        raise FormulaError(f"formula {text!r}: nested too deeply") from None


class _Translator:
    def __init__(self, text: str, names: set[str] | None, sympy: Any) -> None:
        self.text, self.names, self.sympy = text, names, sympy

    def visit(self, node: ast.AST) -> Any:
        sp = self.sympy
        match node:
            case ast.Constant(value=bool()):
                raise _fail(self.text, node, "booleans are not numbers")
            case ast.Constant(value=int() as v):
                return sp.Integer(v)
            case ast.Constant(value=float()):
                segment = ast.get_source_segment(self.text.strip(), node) or repr(node.value)
                if not _exponent_ok(segment):
                    raise _fail(self.text, node, f"number {segment} is out of range")
                try:
                    return sp.Rational(Fraction(segment))
                except ValueError:
                    return sp.Float(node.value)
            case ast.Constant(value=v):
                raise _fail(self.text, node, f"{type(v).__name__} constants are not allowed")
            case ast.Name(id=name):
                if name.startswith("_"):
                    raise _fail(self.text, node, f"name {name!r} is not allowed")
                if self.names is not None and name not in self.names:
                    known = ", ".join(sorted(self.names)) or "none"
                    raise _fail(self.text, node, f"unknown name {name!r} (known: {known})")
                return sp.Symbol(name, real=True)
            case ast.UnaryOp(op=ast.USub(), operand=operand):
                return -self.visit(operand)
            case ast.UnaryOp(op=ast.UAdd(), operand=operand):
                return self.visit(operand)
            case ast.BinOp():
                return self._checked(node, self._binary(node))
            case ast.Call(func=ast.Name(id=name)) if name not in FUNCTIONS:
                allowed = ", ".join(sorted(FUNCTIONS))
                message = f"function {name!r} is not allowed; use one of {allowed}"
                raise _fail(self.text, node, message)
            case ast.Call(func=func) if not isinstance(func, ast.Name):
                self.visit(func)  # names the construct: attribute access, a lambda, a subscript...
                allowed = ", ".join(sorted(FUNCTIONS))
                raise _fail(self.text, node, f"only the functions {allowed} may be called")
            case ast.Call(keywords=[_, *_]):
                raise _fail(self.text, node, "keyword arguments are not allowed")
            case ast.Call(func=ast.Name(id=name), args=args):
                if not args:
                    raise _fail(self.text, node, f"{name}() needs an argument")
                return getattr(sp, FUNCTIONS[name])(*(self.visit(a) for a in args))
            case ast.Attribute():
                raise _fail(self.text, node, "attribute access is not allowed")
            case _:
                raise _fail(self.text, node, f"{type(node).__name__} is not allowed in a formula")

    def _binary(self, node: ast.BinOp) -> Any:
        a, b, op = self.visit(node.left), self.visit(node.right), node.op
        match op:
            case ast.Add():
                return a + b
            case ast.Sub():
                return a - b
            case ast.Mult():
                return a * b
            case ast.Div():
                if b == 0:
                    raise _fail(self.text, node, "division by zero")
                return a / b
            case ast.Pow():
                if getattr(b, "is_Number", False) and abs(b) > MAX_EXPONENT_LITERAL:
                    raise _fail(self.text, node, f"exponent larger than {MAX_EXPONENT_LITERAL}")
                if getattr(b, "free_symbols", None):
                    big = [n for n in b.atoms(self.sympy.Number) if abs(n) > MAX_EXPONENT_LITERAL]
                    if big:
                        raise _fail(
                            self.text,
                            node,
                            f"a symbolic exponent may hold numbers up to {MAX_EXPONENT_LITERAL} only, not {big[0]}",
                        )
                if getattr(a, "is_Rational", False) and getattr(b, "is_Number", False):
                    bits = max(int(a.p).bit_length(), int(a.q).bit_length())
                    if bits * abs(float(b)) > _MAX_POWER_BITS:
                        raise _fail(self.text, node, "the power is too large to compute")
                return a**b
        raise _fail(self.text, node, f"operator {type(op).__name__} is not allowed")

    def _checked(self, node: ast.AST, value: Any) -> Any:
        """Refuse an exact result with more than MAX_DIGITS digits (it could not be printed)."""
        if getattr(value, "is_Rational", False) and too_many_digits(Fraction(int(value.p), int(value.q))):
            raise _fail(self.text, node, f"the result has more than {MAX_DIGITS} digits")
        return value


def _power_too_large(base: Any, exponent: Any) -> bool:
    """True if ``base**exponent`` of two exact numbers would have more than _MAX_POWER_BITS bits."""
    if not (getattr(base, "is_Rational", False) and getattr(exponent, "is_Rational", False)):
        return False
    bits = max(int(base.p).bit_length(), int(base.q).bit_length())
    return bits > 1 and bits * abs(float(exponent)) > _MAX_POWER_BITS


def _short(value: Any, limit: int = 60) -> str:
    """``str(value)``, cut in the middle when longer than ``limit`` characters."""
    text = str(value) if not getattr(value, "is_Integer", False) or abs(int(value.p)).bit_length() < 4000 else "<huge>"
    return text if len(text) <= limit else f"{text[: limit // 2]}...{text[-limit // 2 :]}"


def substitute_checked(expr: Any, mapping: Any) -> Any:
    """``expr.xreplace(mapping)``, refusing exact powers too large to compute.

    sympy rebuilds the expression bottom-up and expands every exact power it
    meets: ``10**(100000000*x)`` at ``x = 1`` is a hundred-million-digit
    integer that takes minutes.  This rebuilds the same way but checks each
    power of two exact numbers first, and raises a one-line
    :class:`~deterrence.errors.FormulaError` when the result would have more
    than 100,000 bits.

    Parameters
    ----------
    expr : sympy.Basic
        The expression.
    mapping : mapping of sympy.Symbol to sympy number
        The values to put in.

    Examples
    --------
    >>> import sympy
    >>> x = sympy.Symbol("x", real=True)
    >>> print(substitute_checked(2**x + 1, {x: sympy.Integer(10)}))
    1025
    >>> substitute_checked(10 ** (10**6 * x), {x: sympy.Integer(1)})
    Traceback (most recent call last):
    ...
    deterrence.errors.FormulaError: 10**(1000000*x) at these values: the power 10**1000000 is too large ...
    """
    cache: dict[Any, Any] = {}

    def rebuild(node: Any) -> Any:
        if node in mapping:
            return mapping[node]
        if not node.args:
            return node
        if node in cache:
            return cache[node]
        args = [rebuild(a) for a in node.args]
        if node.is_Pow and _power_too_large(args[0], args[1]):
            raise FormulaError(
                f"{_short(node)} at these values: the power {_short(args[0])}**{_short(args[1])} is too large "
                f"to compute exactly (more than {_MAX_POWER_BITS:,} bits)"
            )
        value = node if all(a is b for a, b in zip(args, node.args, strict=True)) else node.func(*args)
        cache[node] = value
        return value

    if not hasattr(expr, "args"):
        return expr
    return rebuild(expr)


def parse_number(text: str) -> Fraction | float:
    """Parse a plain number (``"3"``, ``"-0.25"``, ``"2/3"``, ``"1e-3"``) exactly when possible.

    Raises
    ------
    FormulaError
        If the text is not a number (for example a formula or a name).

    Examples
    --------
    >>> print(parse_number("2/3"), parse_number("0.25"))
    2/3 1/4
    """
    cleaned = str(text).strip()
    if len(cleaned) > _MAX_LENGTH:
        number = _long_plain_number(cleaned)
        if number is not None:
            return number
    if len(cleaned) > _MAX_LENGTH or not _exponent_ok(cleaned):
        raise FormulaError(f"expected a number, got {text!r} (out of range)")
    try:
        return Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        pass
    try:
        value = float(cleaned)
    except ValueError:
        raise FormulaError(f"expected a number, got {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise FormulaError(f"expected a finite number, got {text!r}")
    return value
