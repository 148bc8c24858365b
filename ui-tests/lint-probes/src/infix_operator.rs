// An operator pasted without parentheses: `tenant_id = ? AND a OR b`.
diesel::infix_operator!(Either, " OR ");
