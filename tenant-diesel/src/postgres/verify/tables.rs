//! The tenant tables and their descendants: who owns them, and whether their
//! row-level security is enabled and forced.

use std::collections::HashSet;

use super::catalog::Relations;
use super::IsolationProblem;

/// Checks ownership and row-level security; `walled` holds the relations that
/// carry the tenant policy.
///
/// A child the role holds no privilege on is left alone: taking direct access
/// away is a wall of its own, and its rows are reached through the parent,
/// under the parent's policy.
pub(super) fn check(
    relations: &Relations,
    walled: &HashSet<u32>,
    problems: &mut Vec<IsolationProblem>,
) {
    for relation in &relations.list {
        if relation.owned {
            let name = if relation.child {
                &relation.name
            } else {
                &relation.root
            };
            problems.push(IsolationProblem::OwnsTable(name.clone()));
        }
        if !relation.child {
            if !relation.enabled {
                problems.push(IsolationProblem::RlsDisabled(relation.root.clone()));
            }
            if !relation.forced {
                problems.push(IsolationProblem::RlsNotForced(relation.root.clone()));
            }
            continue;
        }
        let tenant_policy = walled.contains(&relation.oid);
        if relation.accessible && !(relation.enabled && relation.forced && tenant_policy) {
            problems.push(IsolationProblem::ChildTableWithoutWall {
                table: relation.root.clone(),
                child: relation.name.clone(),
                rls_enabled: relation.enabled,
                rls_forced: relation.forced,
                tenant_policy,
                grantees: relation.grantees.clone(),
            });
        }
    }
}
