// Leak vector 22: the doc examples' helper mints a context for any tenant, so
// only this workspace's dev-dependencies compile it in; a normal build has none.
fn main() {
    let _ctx = tenant_diesel::doc_support::context("acme");
    let _ctx = tenant_core::doc_support::context("acme");
}
