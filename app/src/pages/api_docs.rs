//! `/api/docs`: the OpenAPI document, readable: every operation grouped by tag, with its
//! parameters, body example and answers. The document is the one the server generated at
//! start-up (fetched through a server function, so it is not compiled into the browser's code).

use crate::api::system::api_document;
use crate::components::feedback::{ErrorNotice, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "patch", "put", "delete"];

fn method_colour(method: &str) -> &'static str {
    match method {
        "get" => "bg-sky-800 text-sky-100",
        "post" => "bg-emerald-800 text-emerald-100",
        "patch" => "bg-amber-700 text-amber-50",
        "delete" => "bg-red-800 text-red-100",
        _ => "bg-stone-700 text-stone-100",
    }
}

/// One operation of the document.
struct Operation {
    method: String,
    path: String,
    op: Value,
}

fn operations(doc: &Value, tag: &str) -> Vec<Operation> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            let op = &item[method];
            let tagged = op["tags"].as_array().is_some_and(|t| t.iter().any(|x| x == tag));
            if tagged {
                ops.push(Operation { method: method.to_owned(), path: path.clone(), op: op.clone() });
            }
        }
    }
    ops
}

/// The readable API reference.
#[component]
pub fn ApiDocs() -> impl IntoView {
    let document = Resource::new(|| (), |_| api_document());
    view! {
        <Title text="API"/>
        <h1 class="text-3xl font-bold text-amber-200">"API reference"</h1>
        <Transition fallback=|| view! { <Loading what="the API document"/> }>
            {move || document.get().map(|r| match r {
                Ok(text) => view! { <Reference doc=serde_json::from_str(&text).unwrap_or(Value::Null)/> }.into_any(),
                Err(e) => view! { <div class="mt-6"><ErrorNotice error=e/></div> }.into_any(),
            })}
        </Transition>
    }
}

/// The document's sections, one per tag.
#[component]
fn Reference(doc: Value) -> impl IntoView {
    let tags: Vec<String> = doc["tags"].as_array().into_iter().flatten().filter_map(|t| t["name"].as_str().map(str::to_owned)).collect();
    let intro = doc["info"]["description"].as_str().unwrap_or_default().to_owned();
    view! {
        <p class="mt-3 max-w-3xl text-stone-300">{intro}</p>
        <p class="mt-2 text-sm text-stone-400">
            "Machine-readable: " <a class="text-amber-300 underline" href="/api/openapi.json">"/api/openapi.json"</a>
            " (OpenAPI 3.1)."
        </p>
        <nav aria-label="API sections" class="mt-6 flex flex-wrap gap-2 text-sm">
            {tags.iter().map(|t| view! { <a class="rounded border border-stone-700 px-3 py-1 hover:border-amber-400" href=format!("#{t}")>{t.clone()}</a> }).collect_view()}
        </nav>
        {tags
            .into_iter()
            .map(|tag| {
                let ops = operations(&doc, &tag);
                view! {
                    <section id=tag.clone() aria-labelledby=format!("tag-{tag}") class="mt-10">
                        <h2 id=format!("tag-{tag}") class="text-xl font-semibold">{tag.clone()}</h2>
                        <div class="mt-4 space-y-4">{ops.into_iter().map(|o| view! { <OperationCard operation=o/> }).collect_view()}</div>
                    </section>
                }
            })
            .collect_view()}
    }
}

#[component]
fn OperationCard(operation: Operation) -> impl IntoView {
    let Operation { method, path, op } = operation;
    let summary = op["summary"].as_str().unwrap_or_default().to_owned();
    let description = op["description"].as_str().map(str::to_owned);
    let params: Vec<Value> = op["parameters"].as_array().cloned().unwrap_or_default();
    let example = op["requestBody"]["content"]["application/json"]["example"].clone();
    let body_schema = op["requestBody"]["content"]["application/json"]["schema"].clone();
    let body_text = if !example.is_null() {
        Some(serde_json::to_string_pretty(&example).unwrap_or_default())
    } else if body_schema.is_object() {
        Some(serde_json::to_string_pretty(&body_schema).unwrap_or_default())
    } else {
        None
    };
    let responses: Vec<(String, String)> = op["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(code, r)| (code.clone(), r["description"].as_str().unwrap_or_default().to_owned()))
        .collect();
    view! {
        <article class="rounded-lg border border-stone-800 bg-stone-900 p-4">
            <h3 class="flex flex-wrap items-center gap-3 font-mono text-sm">
                <span class=format!("rounded px-2 py-0.5 text-xs font-bold uppercase {}", method_colour(&method))>{method.clone()}</span>
                <span>{path}</span>
                <span class="font-sans text-stone-300">{summary}</span>
            </h3>
            {description.map(|d| view! { <p class="mt-2 text-sm text-stone-300">{d}</p> })}
            {(!params.is_empty()).then(|| view! {
                <table class="mt-3 w-full text-left text-xs">
                    <caption class="sr-only">"Parameters"</caption>
                    <thead class="text-stone-400"><tr><th scope="col" class="pr-3">"Parameter"</th><th scope="col" class="pr-3">"In"</th><th scope="col">"Meaning"</th></tr></thead>
                    <tbody>
                        {params.into_iter().map(|p| view! {
                            <tr>
                                <td class="pr-3 font-mono">{p["name"].as_str().unwrap_or_default().to_owned()}</td>
                                <td class="pr-3">{p["in"].as_str().unwrap_or_default().to_owned()}</td>
                                <td class="text-stone-300">{p["description"].as_str().unwrap_or_default().to_owned()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {body_text.map(|b| view! {
                <details class="mt-3 text-xs">
                    <summary class="cursor-pointer text-stone-300">"Request body"</summary>
                    <pre class="mt-2 overflow-x-auto rounded bg-stone-950 p-3">{b}</pre>
                </details>
            })}
            <p class="mt-3 text-xs text-stone-400">
                "Answers: "
                {responses.into_iter().map(|(c, d)| view! { <span class="mr-3"><span class="font-mono text-stone-200">{c}</span>" "{d}</span> }).collect_view()}
            </p>
        </article>
    }
}
