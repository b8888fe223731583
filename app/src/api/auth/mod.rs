//! Server functions of the `auth` area.
mod login;
mod login_form;
mod logout;
mod logout_form;
mod me;

pub use login::*;
pub use login_form::*;
pub use logout::*;
pub use logout_form::*;
pub use me::*;
