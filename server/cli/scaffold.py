"""`mlreview scaffold ML308 softmax-before-cross-entropy --family training`: a new rule's files.

Writes the rule module (declaration stub and an empty check), its fixture of test
cases and its generated docs, in a source checkout; the registry finds the rule
from its file name, so nothing else has to be edited by hand.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

CODE = re.compile(r"^ML\d{3}$")
NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
CHECKOUT = Path(__file__).resolve().parents[2]  # the folder holding server/ and tests/

RULE_TEMPLATE = '''"""{code} {name}."""

from __future__ import annotations

from collections.abc import Iterator

from ...model.module_model import ModuleModel
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule
{family_import}
{constant} = Rule(
    code="{code}",
    name="{name}",
    severity=Severity.WARNING,
    principle={principle},
    area={area},{red_flag}
    summary="TODO: what it flags, in one sentence.",
    why="TODO: why it matters, in the reviewer's terms. Two or three sentences.",
    bad="TODO: a short example that is flagged",
    good="TODO: the same example, fixed",
)


@{constant}.checker
def check_{function}(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    """TODO: return early when the module cannot contain the problem, then
    yield rule.finding(model, node, message) for each offending node."""
    return iter(())
'''

FIXTURE_TEMPLATE = """# rules: {code}
# case: TODO the simplest code that must be flagged
x = 1  # expect: {code}

# case: TODO a look-alike that must NOT be flagged
x = 1
"""


class ScaffoldError(Exception):
    pass


def rule_module_name(code: str, name: str) -> str:
    """The rule's file name without `.py`: ML308 softmax-before-cross-entropy -> ml308_softmax_before_cross_entropy."""
    return f"{code.lower()}_{name.replace('-', '_')}"


def family_constants(family_init: Path) -> list[str]:
    """Which of AREA, PRINCIPLE, RED_FLAG the family's __init__ declares (read, not imported:
    importing it would build the registry before the new rule exists)."""
    tree = ast.parse(family_init.read_text("utf-8"))
    assigned = {target.id for node in tree.body if isinstance(node, ast.Assign)
                for target in node.targets if isinstance(target, ast.Name)}
    return [constant for constant in ("AREA", "PRINCIPLE", "RED_FLAG") if constant in assigned]


def rule_source(code: str, name: str, shared: list[str]) -> str:
    """The rule module's text, using the family's principle, area and red flag where it declares them."""
    return RULE_TEMPLATE.format(
        code=code,
        name=name,
        constant=name.replace("-", "_").upper(),
        function=name.replace("-", "_"),
        family_import=f"from . import {', '.join(shared)}\n" if shared else "",
        principle="PRINCIPLE" if "PRINCIPLE" in shared else '"Reproducibility"',
        area="AREA" if "AREA" in shared else '"Model Development"',
        red_flag="\n    red_flag=RED_FLAG," if "RED_FLAG" in shared else "",
    )


def scaffold(code: str, name: str, family: str, root: Path = CHECKOUT) -> list[Path]:
    """Write the rule module and its fixture under `root`; return the paths written."""
    code = code.upper()
    if not CODE.match(code):
        raise ScaffoldError(f"{code}: a rule code is ML and three digits, e.g. ML308")
    if not NAME.match(name):
        raise ScaffoldError(f"{name}: a rule name is lower-case words joined by '-', e.g. softmax-before-cross-entropy")
    family_dir = root / "server" / "diagnostics" / family
    if not (family_dir / "__init__.py").is_file():
        families = sorted(p.parent.name for p in (root / "server" / "diagnostics").glob("*/__init__.py"))
        raise ScaffoldError(f"{family}: no such family (one of {', '.join(families)})")
    taken = sorted(family_dir.parent.glob(f"*/{code.lower()}_*.py"))
    if taken:
        raise ScaffoldError(f"{code} is taken: {taken[0].relative_to(root)}")
    module = rule_module_name(code, name)
    rule_path = family_dir / f"{module}.py"
    fixture_path = root / "tests" / f"{family}_cases" / f"{module}.py"
    fixture_path.parent.mkdir(parents=True, exist_ok=True)
    rule_path.write_text(rule_source(code, name, family_constants(family_dir / "__init__.py")), "utf-8")
    fixture_path.write_text(FIXTURE_TEMPLATE.format(code=code), "utf-8")
    return [rule_path, fixture_path]


def run_scaffold(args) -> int:
    import sys

    root = Path(args.root).resolve() if args.root else CHECKOUT
    try:
        written = scaffold(args.code, args.name, args.family, root)
    except ScaffoldError as error:
        print(f"mlreview scaffold: {error}", file=sys.stderr)
        return 2
    from . import catalogue  # imports the registry, which now holds the new rule

    docs = catalogue.regenerate_docs(readme=root / "README.md")
    for path in written:
        print(path)
    print(f"regenerated {len(docs)} docs files")
    print(f"Next: write the cases in {written[1]}, then the check, the docs fields and the fix.")
    return 0
