// A leading `crate = ..;` holds the path of tenant-diesel.
tenant_diesel::tenant_infix_operator!(crate = "tenant diesel"; Similar, " % ");

fn main() {}
