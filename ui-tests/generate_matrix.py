#!/usr/bin/env python3
"""Writes the compile-fail matrix: every slot of a scoped query that takes a value
or an expression, times every form of smuggling a read of another table into it.

    python3 ui-tests/generate_matrix.py     # rewrites ui-tests/tests/ui/matrix/*.rs
    TRYBUILD=overwrite cargo test -p tenant-diesel-ui-tests   # then review the .stderr diff

Adding a slot or a form is adding a row below. A pair whose types cannot meet
(a boolean form in an id slot) is skipped, and listed in `SKIPPED.md`.
"""

from pathlib import Path

MATRIX = Path(__file__).parent / "tests" / "ui" / "matrix"

# The forms, each as the expression it yields, by SQL type: "bool" (a predicate),
# "int" (a BIGINT NOT NULL, for ids and balances) or "any" (selections, orderings).
# Every one of them reads `invoices`, another table, which the scoped query on
# `accounts` (or on `plans`) does not filter by tenant.
SUB_AMOUNT = "invoices::table.select(invoices::amount).single_value()"
FORMS = {
    "eq_any_subquery": {
        "bool": "accounts::id.eq_any(invoices::table.select(invoices::account_id))",
    },
    "exists": {
        "bool": "diesel::dsl::exists(invoices::table.select(invoices::id))",
    },
    "single_value": {
        "int": f"{SUB_AMOUNT}.assume_not_null()",
        "bool": f"accounts::id.nullable().eq({SUB_AMOUNT})",
        "any": SUB_AMOUNT,
    },
    "boxed_subquery": {
        "bool": "accounts::id.eq_any(invoices::table.select(invoices::account_id).into_boxed())",
        "any": "invoices::table.select(invoices::amount).into_boxed().single_value()",
    },
    "subquery_in_case_when": {
        "int": f"diesel::dsl::case_when(accounts::id.eq(1), {SUB_AMOUNT}.assume_not_null()).otherwise(accounts::id)",
        "any": f"diesel::dsl::case_when(accounts::id.eq(1), {SUB_AMOUNT}.assume_not_null()).otherwise(accounts::id)",
    },
    "subquery_in_sql_function": {
        "int": f"tenant_diesel_ui_tests::coalesce_big({SUB_AMOUNT}, 0_i64)",
        "any": f"tenant_diesel_ui_tests::coalesce_big({SUB_AMOUNT}, 0_i64)",
    },
    "subquery_under_nullable": {
        "bool": "diesel::dsl::exists(invoices::table.select(invoices::id)).nullable().is_not_null()",
        "any": "diesel::dsl::exists(invoices::table.select(invoices::id)).nullable()",
    },
    "aggregate_filter": {
        "any": "diesel::dsl::count(accounts::id).aggregate_filter(diesel::dsl::exists(invoices::table.select(invoices::id)))",
        "bool": "diesel::dsl::count(accounts::id).aggregate_filter(diesel::dsl::exists(invoices::table.select(invoices::id))).gt(0_i64)",
    },
    "aggregate_order": {
        "any": f"diesel::dsl::count(accounts::id).aggregate_order({SUB_AMOUNT})",
        "bool": f"diesel::dsl::count(accounts::id).aggregate_order({SUB_AMOUNT}).gt(0_i64)",
    },
    "window_partition_by": {
        "any": f"diesel::dsl::count(accounts::id).partition_by({SUB_AMOUNT})",
    },
    "window_order": {
        "any": f"diesel::dsl::count(accounts::id).window_order({SUB_AMOUNT})",
    },
}

# The slots: the code around the expression `{x}`, and the kind of expression it
# takes. Tenant slots are on `Account::scoped(&acme())`, global ones on
# `global(plans::table)`.
TENANT = "Account::scoped(&acme())"
GLOBAL = "global(plans::table)"
NOTES = "tenant_diesel_ui_tests::notes::table"
SLOTS = {
    "filter": ("bool", f"let _ = {TENANT}.filter({{x}});"),
    "select": ("any", f"let _ = {TENANT}.select({{x}});"),
    # Grouped, so that an aggregate form is valid SQL and only the tenant check
    # is left to refuse it.
    "order": ("any", f"let _ = {TENANT}.group_by(accounts::id).order({{x}});"),
    "then_order_by": ("any", f"let _ = {TENANT}.group_by(accounts::id).order(accounts::id).then_order_by({{x}});"),
    "group_by": ("any", f"let _ = {TENANT}.group_by({{x}});"),
    "having": ("bool", f"let _ = {TENANT}.group_by(accounts::id).having({{x}});"),
    "find": ("int", f"let _ = {TENANT}.find({{x}});"),
    "update_id": ("int", f"let _ = {TENANT}.update({{x}}).set_column(accounts::name, \"x\");"),
    "delete_id": ("int", f"let _ = {TENANT}.delete({{x}});"),
    "set_column_value": ("int", f"let _ = {TENANT}.update(1_i64).set_column(accounts::id, {{x}});"),
    # The condition of a join of the application's, to a tenant table and to a
    # global one: checked like a filter.
    "join_on": ("bool", f"let _ = {TENANT}.inner_join({NOTES}.on({{x}}));"),
    "left_join_on": ("bool", f"let _ = {TENANT}.left_join({NOTES}.on({{x}}));"),
    "global_join_on": ("bool", f"let _ = {TENANT}.inner_join(plans::table.on({{x}}));"),
    # The outer side of `IN (scoped subquery)`: checked like a filter.
    "filter_in_expr": ("int", f"let _ = {TENANT}.filter_in({{x}}, tenant_diesel_ui_tests::Invoice::scoped(&acme()).select(invoices::account_id));"),
    "global_filter": ("bool", f"let _ = {GLOBAL}.filter({{x}});"),
    "global_select": ("any", f"let _ = {GLOBAL}.select({{x}});"),
    "global_order": ("any", f"let _ = {GLOBAL}.group_by(plans::id).order({{x}});"),
    "global_having": ("bool", f"let _ = {GLOBAL}.group_by(plans::id).having({{x}});"),
    "global_find": ("int", f"let _ = {GLOBAL}.find({{x}});"),
}

HEADER = """// Generated by ui-tests/generate_matrix.py: {slot} x {form}.
// {what}
#![allow(unused_imports)]
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{{accounts, acme, invoices, plans, Account}};
use diesel::prelude::{{AggregateExpressionMethods, WindowExpressionMethods}};

fn main() {{
    {body}
}}
"""


def main() -> None:
    MATRIX.mkdir(parents=True, exist_ok=True)
    for old in MATRIX.glob("*.rs"):
        old.unlink()
    skipped = []
    written = 0
    for slot, (kind, template) in SLOTS.items():
        for form, exprs in FORMS.items():
            expr = exprs.get(kind)
            if expr is None:
                skipped.append(f"- `{slot}` x `{form}`: the form yields no `{kind}` expression")
                continue
            what = (
                f"A read of `invoices` smuggled into the {slot.replace('_', ' ')} slot "
                f"as {form.replace('_', ' ')}: it must not compile."
            )
            body = template.format(x=expr)
            (MATRIX / f"{slot}__{form}.rs").write_text(
                HEADER.format(slot=slot, form=form, what=what, body=body)
            )
            written += 1
    (MATRIX / "SKIPPED.md").write_text(
        "# Pairs the matrix skips\n\nWritten by `generate_matrix.py`: their types cannot meet.\n\n"
        + "\n".join(skipped)
        + "\n"
    )
    print(f"{written} cases written, {len(skipped)} pairs skipped")


if __name__ == "__main__":
    main()
