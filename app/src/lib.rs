//! Crysknife's web application: the Leptos pages and components (server-rendered, hydrated)
//! and the server functions, each a thin call into `backend` on the server. The shapes they
//! exchange come from `wire`.

// Release builds keep every view's full type (debug builds erase them); deep pages such as the
// matrix exceed the default limit.
#![recursion_limit = "512"]

pub mod api;
pub mod components;
pub mod pages;

pub use wire::{error, model};

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

/// The version shown in the footer and reported by `system/info`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en" class="h-full">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="h-full bg-stone-950 text-stone-100 antialiased">
                <App/>
            </body>
        </html>
    }
}

/// The application: shell layout and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser, after hydration: the mark tells tests (and people with
    // the inspector open) that the page came alive, which a hydration panic would prevent.
    Effect::new(|_| {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/crysknife.css"/>
        <Title formatter=|text| format!("{text} · Crysknife")/>
        <Router>
            <div class="flex min-h-full flex-col">
                <components::layout::Header/>
                <main class="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6">
                    <Routes fallback=pages::not_found::NotFound>
                        <Route path=path!("") view=pages::home::HomePage ssr=SsrMode::Async/>
                        <Route path=path!("/api/docs") view={Lazy::<pages::lazy::ApiDocsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/login") view=pages::login::Login/>
                        <Route path=path!("/account") view={Lazy::<pages::lazy::AccountRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/sandboxes") view=pages::sandboxes::Sandboxes ssr=SsrMode::Async/>
                        <ParentRoute path=path!("/sandboxes/:id") view=pages::sandbox::SandboxShell ssr=SsrMode::Async>
                            <Route path=path!("") view=pages::sandbox::console::Console ssr=SsrMode::Async/>
                            <Route path=path!("matrix") view={Lazy::<pages::lazy::TierMatrixRoute>::new()} ssr=SsrMode::Async/>
                            <Route path=path!("blur") view={Lazy::<pages::lazy::BlurRoute>::new()} ssr=SsrMode::Async/>
                            <Route path=path!("thresholds") view={Lazy::<pages::lazy::ThresholdsRoute>::new()} ssr=SsrMode::Async/>
                            <Route path=path!("scenarios") view={Lazy::<pages::lazy::TierScenariosRoute>::new()} ssr=SsrMode::Async/>
                            <Route path=path!("audit") view={Lazy::<pages::lazy::AuditRoute>::new()} ssr=SsrMode::Async/>
                            <Route path=path!("lint") view={Lazy::<pages::lazy::LintRoute>::new()} ssr=SsrMode::Async/>
                        </ParentRoute>
                        <Route path=path!("/kruxt/test-plan") view={Lazy::<pages::lazy::TestPlanRoute>::new()} ssr=SsrMode::Async/>
                        <ParentRoute path=path!("/kruxt/sandboxes/:id") view=pages::kruxt::KruxtShell ssr=SsrMode::Async>
                            <Route path=path!("") view={Lazy::<pages::lazy::ActRoute>::new()} ssr=SsrMode::Async/>
                            <Route path=path!("console") view={Lazy::<pages::lazy::StaffConsoleRoute>::new()} ssr=SsrMode::Async/>
                            <Route path=path!("matrix") view={Lazy::<pages::lazy::RlsMatrixRoute>::new()} ssr=SsrMode::Async/>
                            <Route path=path!("scenarios") view={Lazy::<pages::lazy::KruxtScenariosRoute>::new()} ssr=SsrMode::Async/>
                        </ParentRoute>
                    </Routes>
                </main>
                <components::layout::Footer/>
            </div>
        </Router>
    }
}
