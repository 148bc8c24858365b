//! The MariaDB harness itself: a server of this test process alone, in a
//! temporary directory, reached only through its unix socket, and recorded so
//! that a later run ends it if this one is interrupted.

use diesel::sql_types::Text;
use diesel::QueryableByName;
use tenant_diesel_tests::mysql::{MysqlServer, TestDb};
use tenant_diesel_tests::process::ProcessId;

#[derive(QueryableByName)]
struct Variable {
    #[diesel(sql_type = Text, column_name = "Value")]
    value: String,
}

#[test]
#[allow(clippy::disallowed_methods)] // raw SQL to ask the server about itself
fn the_server_listens_on_its_socket_only_and_is_recorded_for_the_sweep() {
    let server = MysqlServer::shared();
    let dir = server.dir();
    let record = std::fs::read_to_string(dir.join("mariadbd.pid")).expect("the pid record");
    let pid: u32 = record
        .split_whitespace()
        .next()
        .and_then(|pid| pid.parse().ok())
        .expect("a pid");
    let process = ProcessId::of(pid).expect("the server runs");
    assert!(process.is_alive());
    // The sweep also ends every process whose command line names the directory.
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
    assert!(String::from_utf8_lossy(&cmdline).contains(&*dir.to_string_lossy()));

    let mut db = TestDb::new();
    let ask = |db: &mut TestDb, name: &str| -> String {
        let rows: Vec<Variable> = diesel::RunQueryDsl::load(
            diesel::sql_query(format!("SHOW VARIABLES LIKE '{name}'")),
            &mut db.observer,
        )
        .unwrap();
        rows.into_iter().next().expect("the variable").value
    };
    assert_eq!(ask(&mut db, "skip_networking"), "ON", "no TCP port at all");
    assert!(ask(&mut db, "datadir").starts_with(&*dir.to_string_lossy()));
    assert!(ask(&mut db, "socket").starts_with(&*dir.to_string_lossy()));
    assert!(db.url().contains(&format!("unix_socket={}", dir.display())));
}
