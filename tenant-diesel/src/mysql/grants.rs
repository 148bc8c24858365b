//! The lines of `SHOW GRANTS`, read into what each one grants and to whom.
//!
//! MariaDB and MySQL print the same shape: `GRANT <privileges> ON <object> TO
//! <grantee> [.. WITH GRANT OPTION]`, `GRANT <role>[, ..] TO <grantee> [WITH
//! ADMIN OPTION]`, and lines that grant nothing (`SET DEFAULT ROLE ..`, MySQL's
//! partial `REVOKE ..`). A line of any other shape is not read at all: the
//! caller refuses it rather than guess what it grants.

/// One line of `SHOW GRANTS`, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum GrantLine {
    /// `GRANT <privileges> ON <object> TO <grantee>`.
    Privileges {
        privileges: Vec<Privilege>,
        object: Object,
        grantee: Grantee,
        grant_option: bool,
    },
    /// `GRANT <role>[, ..] TO <grantee>`.
    Roles {
        roles: Vec<Grantee>,
        grantee: Grantee,
        admin_option: bool,
    },
    /// A line that grants nothing.
    Nothing,
}

/// A privilege, with the columns it is limited to (none: the whole object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Privilege {
    /// Its name in capitals, words separated by one space (`CREATE TEMPORARY
    /// TABLES`, `ALL PRIVILEGES`).
    pub(super) name: String,
    /// The columns of a column privilege (`SELECT (`id`)`).
    pub(super) columns: Vec<String>,
}

impl Privilege {
    /// The privilege as `REVOKE` takes it.
    pub(super) fn sql(&self) -> String {
        if self.columns.is_empty() {
            self.name.clone()
        } else {
            let columns: Vec<String> = self.columns.iter().map(|c| ident(c)).collect();
            format!("{} ({})", self.name, columns.join(", "))
        }
    }
}

/// An account, a role, or `PUBLIC`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Grantee {
    /// The user or role name (`PUBLIC` for every account).
    pub(super) name: String,
    /// The host of an account (and of a role on MySQL, `%`).
    pub(super) host: Option<String>,
    /// `PUBLIC`: every account.
    pub(super) public: bool,
}

impl Grantee {
    /// The grantee as `GRANT` and `REVOKE` take it.
    pub(super) fn sql(&self) -> String {
        match (&self.host, self.public) {
            (_, true) => "PUBLIC".to_owned(),
            (Some(host), false) => format!("{}@{}", ident(&self.name), ident(host)),
            (None, false) => ident(&self.name),
        }
    }
}

/// What a privilege is granted on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Object {
    /// `*.*`: every database.
    Global,
    /// `` `db`.* ``: the databases the name matches (`_` and `%` are
    /// wildcards unless escaped with `\`).
    Database(String),
    /// `` `db`.`table` ``.
    Table { database: String, table: String },
    /// `` PROCEDURE `db`.`name` `` (or `FUNCTION`, `PACKAGE`, `PACKAGE BODY`).
    Routine {
        kind: String,
        database: String,
        name: String,
    },
    /// `PROXY ON <account>`.
    Proxy(Grantee),
}

impl Object {
    /// The object as `REVOKE` takes it.
    pub(super) fn sql(&self) -> String {
        match self {
            Self::Global => "*.*".to_owned(),
            Self::Database(database) => format!("{}.*", ident(database)),
            Self::Table { database, table } => format!("{}.{}", ident(database), ident(table)),
            Self::Routine {
                kind,
                database,
                name,
            } => format!("{kind} {}.{}", ident(database), ident(name)),
            Self::Proxy(account) => account.sql(),
        }
    }
}

/// `name` quoted as MySQL quotes an identifier.
pub(super) fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Quoted(String),
    Punct(char),
}

impl Token {
    fn is_word(&self, word: &str) -> bool {
        matches!(self, Token::Word(w) if w.eq_ignore_ascii_case(word))
    }
}

/// The tokens of a line: words, quoted names and strings (unquoted), and
/// punctuation. `None` for an unterminated quote.
fn tokenize(line: &str) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '`' | '\'' | '"' => {
                let mut text = String::new();
                loop {
                    match chars.next()? {
                        // A doubled quote is the quote itself.
                        q if q == c && chars.peek() == Some(&c) => {
                            chars.next();
                            text.push(c);
                        }
                        q if q == c => break,
                        // Backslash escapes are the strings', not the names'.
                        '\\' if c != '`' => text.push(chars.next()?),
                        other => text.push(other),
                    }
                }
                tokens.push(Token::Quoted(text));
            }
            c if c.is_ascii_alphanumeric() || c == '_' || c == '$' => {
                let mut word = String::from(c);
                while let Some(&next) = chars.peek() {
                    if next.is_ascii_alphanumeric() || next == '_' || next == '$' {
                        word.push(next);
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push(Token::Word(word));
            }
            other => tokens.push(Token::Punct(other)),
        }
    }
    Some(tokens)
}

/// Reads one line of `SHOW GRANTS`; `None` when it is not of a known shape.
pub(super) fn parse(line: &str) -> Option<GrantLine> {
    let tokens = tokenize(line)?;
    let first = tokens.first()?;
    if first.is_word("SET") || first.is_word("REVOKE") {
        return Some(GrantLine::Nothing);
    }
    if !first.is_word("GRANT") {
        return None;
    }
    // The first `ON` or `TO` outside parentheses ends what is granted; neither
    // is a privilege's word, and role names are quoted.
    let mut depth = 0usize;
    let split = tokens.iter().enumerate().skip(1).find_map(|(i, t)| {
        match t {
            Token::Punct('(') => depth += 1,
            Token::Punct(')') => depth = depth.saturating_sub(1),
            t if depth == 0 && (t.is_word("ON") || t.is_word("TO")) => return Some(i),
            _ => {}
        }
        None
    })?;
    let granted = &tokens[1..split];
    if tokens[split].is_word("TO") {
        let roles = split_commas(granted)
            .into_iter()
            .map(|role| {
                let (grantee, rest) = grantee(role)?;
                rest.is_empty().then_some(grantee)
            })
            .collect::<Option<Vec<_>>>()?;
        let (grantee, tail) = grantee(&tokens[split + 1..])?;
        return (!roles.is_empty()).then(|| GrantLine::Roles {
            roles,
            grantee,
            admin_option: has_words(tail, "ADMIN", "OPTION"),
        });
    }
    let privileges = split_commas(granted)
        .into_iter()
        .map(privilege)
        .collect::<Option<Vec<_>>>()?;
    let (object, rest) = if privileges.iter().any(|p| p.name == "PROXY") {
        let (account, rest) = grantee(&tokens[split + 1..])?;
        (Object::Proxy(account), rest)
    } else {
        object(&tokens[split + 1..])?
    };
    let (to, rest) = rest.split_first()?;
    if !to.is_word("TO") || privileges.is_empty() {
        return None;
    }
    let (grantee, tail) = grantee(rest)?;
    Some(GrantLine::Privileges {
        privileges,
        object,
        grantee,
        grant_option: has_words(tail, "GRANT", "OPTION"),
    })
}

/// The tokens between top-level commas.
fn split_commas(tokens: &[Token]) -> Vec<&[Token]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Punct('(') => depth += 1,
            Token::Punct(')') => depth = depth.saturating_sub(1),
            Token::Punct(',') if depth == 0 => {
                parts.push(&tokens[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&tokens[start..]);
    parts
}

/// `SELECT`, `CREATE TEMPORARY TABLES`, `INSERT (`a`, `b`)`.
fn privilege(tokens: &[Token]) -> Option<Privilege> {
    let mut words = Vec::new();
    let mut rest = tokens;
    while let Some((Token::Word(word), tail)) = rest.split_first() {
        words.push(word.to_ascii_uppercase());
        rest = tail;
    }
    let mut columns = Vec::new();
    if let Some((Token::Punct('('), tail)) = rest.split_first() {
        let (close, inside) = tail.split_last()?;
        if *close != Token::Punct(')') {
            return None;
        }
        for column in split_commas(inside) {
            match column {
                [Token::Quoted(name)] | [Token::Word(name)] => columns.push(name.clone()),
                _ => return None,
            }
        }
        if columns.is_empty() {
            return None;
        }
    } else if !rest.is_empty() {
        return None;
    }
    (!words.is_empty()).then(|| Privilege {
        name: words.join(" "),
        columns,
    })
}

/// `*.*`, `` `db`.* ``, `` `db`.`t` ``, `` PROCEDURE `db`.`p` ``, and what follows.
fn object(tokens: &[Token]) -> Option<(Object, &[Token])> {
    let mut rest = tokens;
    let mut kind = Vec::new();
    while let Some((Token::Word(word), tail)) = rest.split_first() {
        if word.eq_ignore_ascii_case("TO") {
            break;
        }
        kind.push(word.to_ascii_uppercase());
        rest = tail;
    }
    let (database, table, rest) = match rest {
        [Token::Punct('*'), Token::Punct('.'), Token::Punct('*'), rest @ ..] => {
            return kind.is_empty().then_some((Object::Global, rest));
        }
        [Token::Quoted(db), Token::Punct('.'), Token::Punct('*'), rest @ ..] => {
            (db.clone(), None, rest)
        }
        [Token::Quoted(db), Token::Punct('.'), Token::Quoted(t), rest @ ..] => {
            (db.clone(), Some(t.clone()), rest)
        }
        _ => return None,
    };
    let object = match (kind.as_slice(), table) {
        ([], None) => Object::Database(database),
        ([], Some(table)) => Object::Table { database, table },
        ([_, ..], Some(name)) => Object::Routine {
            kind: kind.join(" "),
            database,
            name,
        },
        ([_, ..], None) => return None,
    };
    Some((object, rest))
}

/// `` `user`@`host` ``, `` `role` ``, or `PUBLIC`, and what follows.
fn grantee(tokens: &[Token]) -> Option<(Grantee, &[Token])> {
    match tokens {
        [Token::Word(w), rest @ ..] if w.eq_ignore_ascii_case("PUBLIC") => Some((
            Grantee {
                name: "PUBLIC".to_owned(),
                host: None,
                public: true,
            },
            rest,
        )),
        [Token::Quoted(name), Token::Punct('@'), Token::Quoted(host), rest @ ..] => Some((
            Grantee {
                name: name.clone(),
                host: Some(host.clone()),
                public: false,
            },
            rest,
        )),
        [Token::Quoted(name), rest @ ..] => Some((
            Grantee {
                name: name.clone(),
                host: None,
                public: false,
            },
            rest,
        )),
        _ => None,
    }
}

/// Whether `first` is followed by `second`, as unquoted words, in `tokens`.
fn has_words(tokens: &[Token], first: &str, second: &str) -> bool {
    tokens
        .windows(2)
        .any(|pair| pair[0].is_word(first) && pair[1].is_word(second))
}

/// Whether a database name of a grant, as MySQL matches it (`_` any one
/// character, `%` any run, `\` escaping either), matches `name`.
pub(super) fn database_matches(pattern: &str, name: &str) -> bool {
    fn matches(pattern: &[char], name: &[char]) -> bool {
        match pattern.split_first() {
            None => name.is_empty(),
            Some(('%', rest)) => (0..=name.len()).any(|skip| matches(rest, &name[skip..])),
            Some(('_', rest)) => !name.is_empty() && matches(rest, &name[1..]),
            Some(('\\', rest)) if !rest.is_empty() => {
                name.first() == rest.first() && matches(&rest[1..], &name[1..])
            }
            Some((c, rest)) => name.first() == Some(c) && matches(rest, &name[1..]),
        }
    }
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    matches(&pattern, &name)
}

/// A database name of a grant with its escapes removed (`my\_app` is
/// `my_app`): the name it means when it is meant literally.
pub(super) fn unescaped(pattern: &str) -> String {
    let mut name = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => name.extend(chars.next()),
            c => name.push(c),
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(name: &str, host: &str) -> Grantee {
        Grantee {
            name: name.to_owned(),
            host: Some(host.to_owned()),
            public: false,
        }
    }

    fn privilege(name: &str) -> Privilege {
        Privilege {
            name: name.to_owned(),
            columns: Vec::new(),
        }
    }

    #[test]
    fn privileges_on_a_database() {
        assert_eq!(
            parse("GRANT SELECT, INSERT, UPDATE, DELETE ON `app`.* TO `app_user`@`localhost`"),
            Some(GrantLine::Privileges {
                privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"]
                    .map(privilege)
                    .to_vec(),
                object: Object::Database("app".to_owned()),
                grantee: account("app_user", "localhost"),
                grant_option: false,
            })
        );
    }

    #[test]
    fn global_privileges_with_grant_option_and_a_password() {
        assert_eq!(
            parse("GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` IDENTIFIED BY PASSWORD '*A4B' WITH GRANT OPTION"),
            Some(GrantLine::Privileges {
                privileges: vec![privilege("ALL PRIVILEGES")],
                object: Object::Global,
                grantee: account("root", "localhost"),
                grant_option: true,
            })
        );
        // MySQL 8's dynamic privileges, without spaces.
        let Some(GrantLine::Privileges { privileges, .. }) =
            parse("GRANT BACKUP_ADMIN,BINLOG_ADMIN ON *.* TO `u`@`%`")
        else {
            panic!("not read");
        };
        assert_eq!(
            privileges,
            vec![privilege("BACKUP_ADMIN"), privilege("BINLOG_ADMIN")]
        );
    }

    #[test]
    fn column_privileges_on_a_table() {
        assert_eq!(
            parse("GRANT SELECT (`id`), INSERT (`tenant_id`, `a``b`), TRIGGER ON `app`.`t` TO `u`@`%`"),
            Some(GrantLine::Privileges {
                privileges: vec![
                    Privilege {
                        name: "SELECT".to_owned(),
                        columns: vec!["id".to_owned()]
                    },
                    Privilege {
                        name: "INSERT".to_owned(),
                        columns: vec!["tenant_id".to_owned(), "a`b".to_owned()]
                    },
                    privilege("TRIGGER"),
                ],
                object: Object::Table {
                    database: "app".to_owned(),
                    table: "t".to_owned()
                },
                grantee: account("u", "%"),
                grant_option: false,
            })
        );
    }

    #[test]
    fn routines_proxies_public_and_roles() {
        assert_eq!(
            parse("GRANT EXECUTE ON PROCEDURE `app`.`p` TO `r`"),
            Some(GrantLine::Privileges {
                privileges: vec![privilege("EXECUTE")],
                object: Object::Routine {
                    kind: "PROCEDURE".to_owned(),
                    database: "app".to_owned(),
                    name: "p".to_owned()
                },
                grantee: Grantee {
                    name: "r".to_owned(),
                    host: None,
                    public: false
                },
                grant_option: false,
            })
        );
        assert_eq!(
            parse("GRANT PROXY ON ``@`%` TO `u`@`localhost`"),
            Some(GrantLine::Privileges {
                privileges: vec![privilege("PROXY")],
                object: Object::Proxy(account("", "%")),
                grantee: account("u", "localhost"),
                grant_option: false,
            })
        );
        let Some(GrantLine::Privileges { grantee, .. }) =
            parse("GRANT CREATE TEMPORARY TABLES ON `other`.* TO PUBLIC")
        else {
            panic!("not read");
        };
        assert!(grantee.public);
        assert_eq!(
            parse("GRANT `r1`@`%`,`r2`@`%` TO `u`@`localhost` WITH ADMIN OPTION"),
            Some(GrantLine::Roles {
                roles: vec![account("r1", "%"), account("r2", "%")],
                grantee: account("u", "localhost"),
                admin_option: true,
            })
        );
        assert_eq!(
            parse("SET DEFAULT ROLE `r` FOR `u`@`localhost`"),
            Some(GrantLine::Nothing)
        );
    }

    #[test]
    fn lines_of_another_shape_are_not_read() {
        assert_eq!(parse("GRANT SELECT ON `app`.* FROM `u`"), None);
        assert_eq!(parse("GRANT SELECT ON `app TO `u`"), None);
        assert_eq!(parse("ALTER USER `u`"), None);
        assert_eq!(parse("GRANT ON `app`.* TO `u`"), None);
    }

    #[test]
    fn database_names_match_as_mysql_matches_them() {
        assert!(database_matches("app", "app"));
        assert!(database_matches("test_0", "testx0"));
        assert!(!database_matches("test\\_0", "testx0"));
        assert!(database_matches("test\\_0", "test_0"));
        assert!(database_matches("%", "mysql"));
        assert!(database_matches("my%", "mysql"));
        assert!(!database_matches("app", "apps"));
        assert_eq!(unescaped("my\\_app"), "my_app");
    }

    #[test]
    fn what_is_read_prints_back() {
        let Some(GrantLine::Privileges {
            privileges,
            object,
            grantee,
            ..
        }) = parse("GRANT REFERENCES (`id`) ON `my\\_app`.`t` TO `u`@`localhost`")
        else {
            panic!("not read");
        };
        assert_eq!(privileges[0].sql(), "REFERENCES (`id`)");
        assert_eq!(object.sql(), "`my\\_app`.`t`");
        assert_eq!(grantee.sql(), "`u`@`localhost`");
    }
}
