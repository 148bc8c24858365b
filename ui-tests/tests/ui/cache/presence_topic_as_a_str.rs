// Leak vector 15: a presence topic every tenant shares.
use tenant_diesel::{ActorId, Presence};

fn main() {
    let presence = Presence::new();
    let _ = presence.join("doc/42", &ActorId::new("alice"));
}
