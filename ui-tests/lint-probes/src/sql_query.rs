// Raw SQL.
fn raw() {
    let _ = diesel::sql_query("SELECT * FROM accounts");
}
