// Class 10: an operator that spells `OR` would undo the tenant filter's `AND`.
tenant_diesel::tenant_infix_operator!(Either, " OR ");

fn main() {}
