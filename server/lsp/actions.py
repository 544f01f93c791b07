"""Code actions: quick fixes, noqa, fix-all; and turning engine edits into LSP edits.

Listing actions never parses anything: it reads the last analysis. Fix edits
(libcst inside the rules' fixers) are built only by `resolve_*`/`fix_all_edit`,
which the server runs off the event loop.
"""

from __future__ import annotations

from collections.abc import Iterable

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from ..fixes.availability import fixes_available
from ..rules.findings import Edit, Finding
from ..rules.noqa import add_noqa
from ..parse.positions import Span
from ..fixes.api import build_fix
from ..fixes.pipeline import fix_all
from . import convert
from .documents import Analysis
from .snapshot import Snapshot

FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.mlreview"
FIX_ALL_TITLE = "mlreview: Fix all auto-fixable problems"


def wanted(kind: str, only: Iterable[str] | None) -> bool:
    if not only:
        return True
    return any(kind == k or kind.startswith(f"{k}.") for k in only)


def list_actions(analysis: Analysis, uri: str, range_: types.Range, only: Iterable[str] | None,
                 codec: PositionCodec) -> list[types.CodeAction]:
    """The actions at `range_` of `uri`, without fix edits (see resolve)."""
    actions: list[types.CodeAction] = []
    noqa_lines: set[tuple[int, str]] = set()
    quickfix = wanted(types.CodeActionKind.QuickFix.value, only)
    fixable = fixes_available()
    for finding, diag in analysis.findings_at(uri):
        if not quickfix or not convert.overlaps_lines(diag.range, range_):
            continue
        if fixable and finding.fixable:
            actions.append(types.CodeAction(
                title=finding.rule.fix_title or f"Fix {finding.code}",
                kind=types.CodeActionKind.QuickFix, diagnostics=[diag], is_preferred=True,
                data={"uri": uri, "action": "fix", **diag.data},
            ))
        if (finding.span.line, finding.code) not in noqa_lines:
            noqa_lines.add((finding.span.line, finding.code))
            actions.append(noqa_action(analysis.snapshot, uri, finding, diag, codec))
    if fixable and wanted(FIX_ALL_KIND, only) and any(f.fixable for f, _ in analysis.findings_at(uri)):
        actions.append(types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND,
                                        data={"uri": uri, "action": "fixAll"}))
    return actions


def noqa_action(snapshot: Snapshot, uri: str, finding: Finding, diag: types.Diagnostic,
                codec: PositionCodec) -> types.CodeAction:
    """`# noqa: CODE` on the finding's first line: a plain text edit, no parsing."""
    line = finding.span.line
    text = snapshot.lines[line - 1].rstrip("\r\n")
    edit = Edit(Span(line, 0, line, len(text)), add_noqa(text, finding.code))
    return types.CodeAction(
        title=f"Ignore {finding.code} on this line", kind=types.CodeActionKind.QuickFix,
        diagnostics=[diag], edit=workspace_edit(snapshot, [edit], codec),
    )


def find_finding(analysis: Analysis, uri: str, data: dict) -> Finding | None:
    span = convert.span_from_data(data)
    for finding, _ in analysis.findings_at(uri):
        if finding.code == data.get("code") and finding.span == span:
            return finding
    return None


def resolve(action: types.CodeAction, analysis: Analysis, codec: PositionCodec) -> types.CodeAction:
    """Fill in the edit of an action listed by `list_actions` (libcst runs here)."""
    data = action.data if isinstance(action.data, dict) else {}
    uri = data.get("uri", "")
    if data.get("action") == "fixAll":
        action.edit = fix_all_edit(analysis, codec)
    elif data.get("action") == "fix":
        finding = find_finding(analysis, uri, data)
        fix = build_fix(analysis.snapshot.source.text, finding) if finding else None
        if fix is not None:
            action.edit = workspace_edit(analysis.snapshot, fix.edits, codec)
    return action


def fix_all_edit(analysis: Analysis, codec: PositionCodec) -> types.WorkspaceEdit | None:
    """All safe fixes, by the pipeline `mlreview check --fix` uses: one edit per changed
    cell, or one for a file."""
    if analysis.result is None or not fixes_available():
        return None
    path = analysis.result.model.path if analysis.result.model is not None else None
    result = fix_all(analysis.snapshot.source, analysis.settings, path, analysis.external,
                     versions=analysis.versions)
    return workspace_edit(analysis.snapshot, result.edits(), codec) if result.changed else None


def workspace_edit(snapshot: Snapshot, edits: Iterable[Edit], codec: PositionCodec) -> types.WorkspaceEdit | None:
    """Engine edits (unit coordinates) -> text edits per document / notebook cell."""
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in edits:
        start, end = snapshot.place(edit.span.line), snapshot.place(edit.span.end_line)
        if start is None or (end is not None and end[0] != start[0]):
            return None  # an edit across cells cannot be expressed; offer nothing rather than harm
        key, offset = start
        range_ = convert.span_to_range(codec, snapshot.lines, edit.span, offset)
        changes.setdefault(snapshot.client_uri(key), []).append(types.TextEdit(range=range_, new_text=edit.content))
    return types.WorkspaceEdit(changes=changes) if changes else None
