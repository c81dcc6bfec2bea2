//! Rebuilds when a migration folder changes, so `embed_migrations!` sees new migrations.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=locales");
}
