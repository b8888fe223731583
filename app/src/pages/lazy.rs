//! Pages loaded on demand. Each is a wasm chunk of its own, fetched when its route is first
//! visited (and fetched with the page when it is loaded directly), so the first load carries the
//! shell, the router and the pages most visits start with (home, sign-in, the sandbox list and a
//! sandbox's workbench), not every page of the console.
//! Without `--split` (debug builds, tests) they are ordinary async views.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

macro_rules! lazy_page {
    ($($(#[$doc:meta])* $route:ident => $page:path;)*) => {$(
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                untrack($page).into_any()
            }
        }
    )*};
}

lazy_page! {
    /// `/api/docs`.
    ApiDocsRoute => super::api_docs::ApiDocs;
    /// `/account`.
    AccountRoute => super::account::Account;
    /// `/sandboxes/:id/matrix`.
    TierMatrixRoute => super::sandbox::matrix::MatrixPage;
    /// `/sandboxes/:id/blur`.
    BlurRoute => super::sandbox::blur::BlurPage;
    /// `/sandboxes/:id/thresholds`.
    ThresholdsRoute => super::sandbox::thresholds::ThresholdsPage;
    /// `/sandboxes/:id/scenarios`.
    TierScenariosRoute => super::sandbox::scenarios::ScenariosPage;
    /// `/sandboxes/:id/audit`.
    AuditRoute => super::sandbox::audit::AuditPage;
    /// `/sandboxes/:id/lint`.
    LintRoute => super::sandbox::lint::LintPage;
    /// `/kruxt/test-plan`.
    TestPlanRoute => super::kruxt::test_plan::TestPlanPage;
    /// `/kruxt/sandboxes/:id`: act as a KRUXT user.
    ActRoute => super::kruxt::act::ActPage;
    /// `/kruxt/sandboxes/:id/console`: the staff console.
    StaffConsoleRoute => super::kruxt::console::ConsolePage;
    /// `/kruxt/sandboxes/:id/matrix`: the RLS matrix.
    RlsMatrixRoute => super::kruxt::matrix::MatrixPage;
    /// `/kruxt/sandboxes/:id/scenarios`.
    KruxtScenariosRoute => super::kruxt::scenarios::ScenariosPage;
}
