"""Facts of one chunk, built in a single walk and cached with the chunk.

The walk sets a `_parent` link on every node, indexes nodes by type (so rules
ask "every Call" or "every With" without walking again) and collects imports.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field

SCOPE_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


@dataclass(frozen=True, slots=True)
class ImportFact:
    alias: str  # the name bound in the importing scope
    qualname: str  # what it stands for: "sklearn.preprocessing.StandardScaler"
    node: ast.stmt


@dataclass(slots=True)
class ChunkFacts:
    by_type: dict[type, list[ast.AST]] = field(default_factory=lambda: defaultdict(list))
    imports: list[ImportFact] = field(default_factory=list)
    calls_by_method: dict[str, list[ast.Call]] = field(default_factory=dict)  # `x.fit(...)` under "fit"
    # Resolved call names, cached for one import table (see ModuleModel).
    resolved_for: object = None
    call_heads: frozenset = frozenset()  # names the resolved calls depend on
    names: frozenset | None = None  # every name the chunk reads or writes (`names_used`)
    calls_by_name: dict[str, list[ast.Call]] = field(default_factory=dict)
    # Answers of scans that read this chunk's tree alone (`ModuleModel.chunk_scan`), by scan.
    scans: dict = field(default_factory=dict)


def build_facts(tree: ast.Module, line_shift: int = 0) -> ChunkFacts:
    """One walk: parent links, the by-type index, imports; optionally rebase line numbers.

    This loop visits every node of every file (a third of a 50,000-line file's analysis
    time), hence the local names and the in-place reversal of each node's children.
    """
    facts = ChunkFacts()
    by_type = facts.by_type
    calls_by_method = facts.calls_by_method
    tree._parent = None  # type: ignore[attr-defined]
    stack: list[ast.AST] = [tree]
    pop, push = stack.pop, stack.append
    node_type = ast.AST
    while stack:
        node = pop()
        cls = type(node)
        by_type[cls].append(node)
        fields, positioned = CLASS_INFO.get(cls) or class_info(cls)
        if line_shift and positioned:
            node.lineno -= line_shift
            if node.end_lineno is not None:
                node.end_lineno -= line_shift
        first_child = len(stack)
        for name in fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, node_type):
                        item._parent = node  # type: ignore[attr-defined]
                        push(item)
            elif isinstance(value, node_type):
                value._parent = node  # type: ignore[attr-defined]
                push(value)
        if len(stack) - first_child > 1:
            stack[first_child:] = stack[first_child:][::-1]  # pop the first child first: program order
        if cls is ast.Import or cls is ast.ImportFrom:
            facts.imports.extend(import_facts(node))
        elif cls is ast.Call:
            func = node.func
            if type(func) is ast.Attribute:
                calls_by_method.setdefault(func.attr, []).append(node)
    return facts


CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
POSITIONED = frozenset(
    cls for cls in vars(ast).values()
    if isinstance(cls, type) and issubclass(cls, ast.AST) and "lineno" in getattr(cls, "_attributes", ())
)


CLASS_INFO: dict[type, tuple[tuple[str, ...], bool]] = {}


def class_info(cls: type) -> tuple[tuple[str, ...], bool]:
    """(child fields, has line numbers) of a node class, cached."""
    info = CLASS_INFO[cls] = (child_fields(cls), cls in POSITIONED)
    return info


def child_fields(cls: type) -> tuple[str, ...]:
    """Fields that may hold nodes (the shared Load/Store context objects are skipped)."""
    fields = CHILD_FIELDS.get(cls)
    if fields is None:
        fields = CHILD_FIELDS[cls] = tuple(name for name in cls._fields if name != "ctx")
    return fields


def import_facts(node: ast.Import | ast.ImportFrom) -> list[ImportFact]:
    if isinstance(node, ast.Import):
        facts = []
        for alias in node.names:
            if alias.asname:
                facts.append(ImportFact(alias.asname, alias.name, node))
            else:  # `import a.b.c` binds `a`
                top = alias.name.split(".")[0]
                facts.append(ImportFact(top, top, node))
        return facts
    if node.level or not node.module:
        return []  # relative imports name project code, not libraries
    return [
        ImportFact(alias.asname or alias.name, f"{node.module}.{alias.name}", node)
        for alias in node.names
        if alias.name != "*"
    ]


def names_used(facts: ChunkFacts) -> frozenset:
    """Every identifier a chunk mentions as a name (cached): what an import edit may re-mean."""
    if facts.names is None:
        facts.names = frozenset(node.id for node in facts.by_type.get(ast.Name, ()))
    return facts.names


def parent(node: ast.AST) -> ast.AST | None:
    return getattr(node, "_parent", None)


def ancestors(node: ast.AST):
    node = parent(node)
    while node is not None:
        yield node
        node = parent(node)


def enclosing_scope(node: ast.AST) -> ast.AST | None:
    """The function, lambda or class whose body holds `node`; None at module level."""
    for ancestor in ancestors(node):
        if isinstance(ancestor, SCOPE_TYPES):
            return ancestor
    return None


def enclosing_statement(node: ast.AST) -> ast.stmt:
    while not isinstance(node, ast.stmt):
        node = parent(node)
    return node


def dotted_name(expr: ast.AST) -> str | None:
    """`a.b.c` for a chain of attributes on a name, else None."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.id)
    return ".".join(reversed(parts))


def qualified_name(expr: ast.AST, imports: dict[str, str], builtin_names: frozenset = frozenset()) -> str | None:
    """`sklearn.preprocessing.StandardScaler` for `pp.StandardScaler` given `import sklearn.preprocessing as pp`;
    names in `builtin_names` that are not imported resolve to `builtins.<name>`."""
    name = dotted_name(expr)
    if name is None:
        return None
    head, _, rest = name.partition(".")
    target = imports.get(head)
    if target is None:
        if head not in builtin_names:
            return None
        target = "builtins." + head
    return f"{target}.{rest}" if rest else target
