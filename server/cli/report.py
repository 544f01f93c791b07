"""`mlreview report [PATH]`: review PATH's whole project and print its scorecard."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..rules.config import Settings, find_config_file
from ..project.discovery import find_root, walk
from ..project.report import scorecard, to_html, to_markdown
from .check import FileReport, check_one
from .inputs import Run, load_settings
from .projects import Projects


def run_report(args) -> int:
    given = Path(args.path)
    if not given.exists():
        print(f"mlreview: {args.path}: no such file or directory", file=sys.stderr)
        return 2
    root = find_root(given)
    # The scorecard is the project's own: its configuration, wherever the command runs from.
    config = args.config or find_config_file(root)
    check_args = argparse.Namespace(paths=[args.path], select=None, ignore=None, extend_select=None, fix=False,
                                    output_format="text", config=config and str(config), stdin_filename=None)
    run = Run(Settings())
    run.settings = load_settings(check_args, run)
    if run.settings is None:
        return 2
    run.root = str(root)
    run.projects = Projects(run.settings, use_disk_cache=not args.no_cache, given=[str(root)])
    run.projects.index_for(str(root))
    sources, _ = walk(root, run.settings)
    for relative in sources:
        check_one(str(root / relative), check_args, run)
    run.projects.attach_findings(run.reports, [str(root)], FileReport)
    from ..diagnostics import REGISTRY

    project = run.projects.built[root]
    findings = [(Path(report.path).resolve().relative_to(root).as_posix(), finding)
                for report in run.reports for finding in report.findings]
    selected = [rule for rule in REGISTRY if run.settings.is_enabled(rule.code, on_by_default=rule.on_by_default)]
    card = scorecard(project, findings, selected)
    text = {"markdown": to_markdown, "html": to_html,
            "json": lambda c: json.dumps(c, indent=2, ensure_ascii=False) + "\n"}[args.format](card)
    if args.output:
        Path(args.output).write_text(text, "utf-8")
    else:
        sys.stdout.write(text)
    return 0
