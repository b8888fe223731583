//! Server functions of the `auth` area.
mod login;
mod logout;
mod me;

pub use login::*;
pub use logout::*;
pub use me::*;
