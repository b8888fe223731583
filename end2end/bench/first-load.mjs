// First-load time of the console page in Debian's Chromium: navigation to the server-rendered
// HTML, the load event, and hydration (the live-update stream connected). Bounded: RUNS loads,
// each in a fresh browser context (cold cache). Prints a Markdown table.
// Usage: BASE_URL=http://127.0.0.1:3000 ADMIN_TOKEN=ck_... RUNS=20 node bench/first-load.mjs
import { chromium } from "playwright";

const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const token = process.env.ADMIN_TOKEN ?? "";
const runs = Number(process.env.RUNS ?? 20);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const setup = await browser.newContext();
const made = await setup.request.post(`${base}/sandbox`, { headers: { Authorization: `Bearer ${token}` }, data: { name: `first-load-${Date.now()}`, ttlHours: 1 } });
const id = (await made.json()).id;
const samples = { html: [], load: [], hydrated: [], wasm: [] };
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  await context.request.post(`${base}/api/v1/auth/login`, { data: { credentials: { token } } });
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${base}/sandboxes/${id}`, { waitUntil: "load" });
  const timing = await page.evaluate(() => JSON.parse(JSON.stringify(performance.getEntriesByType("navigation")[0])));
  await page.getByTestId("live").and(page.locator("[data-live=connected]")).waitFor();
  samples.hydrated.push(Date.now() - started);
  // The wasm this page fetched: the main module and the chunks of its lazily loaded routes.
  samples.wasm.push(await page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.includes(".wasm")).reduce((n, e) => n + e.encodedBodySize, 0)));
  samples.html.push(timing.responseEnd);
  samples.load.push(timing.loadEventEnd);
  await context.close();
}
await setup.request.delete(`${base}/sandbox/${id}`, { headers: { Authorization: `Bearer ${token}` } });
await browser.close();
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(s.length * p) - 1)]; };
console.log(`| measure (${runs} cold loads) | p50 ms | p95 ms |`);
console.log("|---|---|---|");
for (const [name, xs] of [["HTML received", samples.html], ["load event", samples.load], ["hydrated and live", samples.hydrated]]) {
  console.log(`| ${name} | ${pct(xs, 0.5).toFixed(0)} | ${pct(xs, 0.95).toFixed(0)} |`);
}
console.log(`\nwasm fetched by the page (bytes as served): ${Math.max(...samples.wasm)}`);
