"""ML604 pii-feature."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from ...lineage.values import Data
from ...lineage.walker import lineage_of
from ...model.module_model import ModuleModel
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule

PII_FEATURE = Rule(
    code="ML604",
    name="pii-feature",
    severity=Severity.WARNING,
    principle="Explainability",
    area="Data Pipeline",
    summary="A column naming personal data (name, email, phone, SSN, address, ...) is kept in a fitted model's features.",
    why="A model trained on names, e-mails, phone numbers or addresses memorises individuals instead of "
    "learning patterns: it leaks personal data through its predictions and saved weights, cannot be "
    "explained or audited, and puts the project outside data-protection rules (GDPR, CCPA). Drop such "
    "columns from the features, or hash/pseudonymise them when only identity matters (a join key, an id).",
    bad='X = df[["age", "income", "email"]]\nmodel.fit(X, y)',
    good='X = df[["age", "income"]]  # email is an identifier, not a feature\nmodel.fit(X, y)',
)

PII = ("name", "email", "phone", "ssn", "address", "ip_address", "credit_card", "date_of_birth", "passport")
# The listed names and close variants: `customer_email`, `phone_number`, `DateOfBirth`, `ip`, `dob`.
PII_NAME = re.compile(
    r"^(?:(?:customer|client|user|person|applicant|patient|employee|account|holder|owner|contact|home|billing|"
    r"shipping|street|mailing|full|first|last|middle|given|family|primary|personal)_)?"
    r"(?P<kind>name|surname|e_?mail|email_address|mail_address|phone|phone_number|phone_no|telephone|mobile|"
    r"mobile_number|cell_phone|ssn|social_security_number|social_security_no|address|street_address|ip|"
    r"ip_address|ip_addr|credit_card|credit_card_number|card_number|cc_number|date_of_birth|dob|birth_date|"
    r"birthdate|birthday|passport|passport_number|passport_no)$")
CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# Calls that make a column safe to keep: it holds a hash or a pseudonym, not the value.
ANONYMISING = re.compile(r"hash|sha\d|md5|blake|anonymi|pseudonym|encrypt|tokeni[sz]e_pii|mask_pii", re.IGNORECASE)
ID_METHODS = frozenset({"set_index"})


def pii_kind(column: object) -> str | None:
    if not isinstance(column, str) or len(column) > 40:
        return None
    normal = CAMEL_BOUNDARY.sub("_", column.strip()).lower().replace(" ", "_").replace("-", "_")
    match = PII_NAME.match(normal)
    return match.group("kind") if match else None


@PII_FEATURE.checker
def check_pii_feature(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    if not model.imports_any("pandas", "sklearn", "xgboost", "lightgbm", "catboost", "polars"):
        return
    facts = lineage_of(model)
    # (a fit inside a function of another workspace file is that file's to report)
    candidates = [(use, columns) for use in facts.uses
                  if facts.home_of(use.chunk) is None and (columns := pii_columns(use))]
    if not candidates:
        return
    safe = anonymised_or_index_columns(model)
    for use, columns in candidates:
        kept = [column for column in columns if column not in safe]
        if not kept:
            continue
        listed = ", ".join(f'"{column}"' for column in kept)
        plural = "s" if len(kept) > 1 else ""
        message = (f"the features fitted by `{model.text_of(use.chunk, use.node.func)}` keep the personal-data "
                   f"column{plural} {listed}: drop {'them' if plural else 'it'} from the features, or hash "
                   f"{'them' if plural else 'it'} when only identity matters")
        yield rule.finding(model, use.node, message, chunk=use.chunk)


def pii_columns(use) -> list[str]:
    """PII columns among the exactly known columns of what a model is fitted on."""
    if use.kind not in ("train", "cv") or not isinstance(use.node, ast.Call) or not isinstance(use.data, Data):
        return []
    frame = use.data.frame
    if frame is None or frame.only is None:
        return []
    if use.obj is not None and getattr(use.obj, "selects_columns", False):
        return []  # a ColumnTransformer picks its own columns from the table
    if use.obj is None and len(frame.only) < 2:
        return []  # one column given to something unknown: an encoder as likely as a model
    return sorted(column for column in frame.only if pii_kind(column))


def anonymised_or_index_columns(model: ModuleModel) -> set[str]:
    """Columns the module overwrites with a hash (`df["email"] = df["email"].map(sha256)`) or makes
    the index (`set_index("email")`): identity only, not a value the model learns from."""
    safe = set()
    for _, node in model.nodes(ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
                    and pii_kind(target.slice.value) and anonymises(node.value):
                safe.add(target.slice.value)
    for _, call in model.method_calls(*ID_METHODS):
        for argument in [*call.args, *(k.value for k in call.keywords if k.arg == "keys")]:
            elements = argument.elts if isinstance(argument, (ast.List, ast.Tuple)) else [argument]
            safe.update(e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return safe


def anonymises(value: ast.AST) -> bool:
    for node in ast.walk(value):
        name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
        if name is not None and ANONYMISING.search(name):
            return True
    return False

