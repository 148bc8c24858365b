// Class 10: `--` would comment out the rest of the query, its tenant bind included.
tenant_diesel::tenant_infix_operator!(Hide, " -- ");

fn main() {}
