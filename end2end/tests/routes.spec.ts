import { test, expect, Page, APIRequestContext } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_TOKEN, api, createSandbox, cleanSlate } from "./helpers";

// Every route of the router (the list is checked against the router by server/tests/routes_listed.rs),
// loaded fresh in each state that matters: it must hydrate, and nothing may go wrong in the console.
const listed: { routes: Record<string, string[]> } = JSON.parse(readFileSync(join(__dirname, "..", "routes.json"), "utf8"));

/** Collects console errors and uncaught exceptions of a page. */
function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => errors.push(`page: ${e.message}`));
  return errors;
}

async function signIn(request: APIRequestContext) {
  const login = await request.post("/api/v1/auth/login", { data: { credentials: { token: ADMIN_TOKEN } } });
  expect(login.ok(), await login.text()).toBeTruthy();
}

/** Loads `url` directly and waits until the page is hydrated and the network is quiet. */
async function visit(page: Page, url: string) {
  const res = await page.goto(url);
  expect(res?.status(), url).toBeLessThan(400);
  await expect(page.locator("html[data-hydrated=true]"), `${url} hydrates`).toHaveCount(1);
  await page.waitForLoadState("networkidle");
  await expect(page.getByRole("heading", { name: "Page not found" })).toHaveCount(0);
}

/** What a page must show in a state, beyond hydrating without errors. */
async function checkContent(page: Page, route: string, state: string) {
  if (route === "/kruxt/sandboxes/{id}") {
    await expect(page.getByRole("list", { name: "Actors" }).getByRole("listitem").first()).toBeVisible();
    const gyms = page.getByRole("form", { name: "Add a user" }).getByLabel("Gym").locator("option");
    await expect(gyms).toHaveCount(3); // "no membership" and the two seeded gyms
  }
  if (route === "/kruxt/sandboxes/{id}/console") {
    await expect(page.getByLabel("Gym", { exact: true }).locator("option")).toHaveCount(2);
    if (state === "kruxt:marco_bianchi") {
      await expect(page.getByRole("list", { name: "Pending memberships" })).toContainText("Paolo Marino");
    } else {
      await expect(page.getByTestId("console-error")).toBeVisible();
    }
  }
}

test.describe.configure({ mode: "serial" });

test("every route loads directly, hydrates and logs no error, in every state", async ({ browser, playwright }) => {
  test.setTimeout(300_000);
  const context = await browser.newContext();
  const request = context.request;
  await cleanSlate(request);
  await signIn(request);
  const tier = await createSandbox(request, `routes-tier-${Date.now()}`);
  const kruxt = await createSandbox(request, `routes-kruxt-${Date.now()}`, { themeId: "kruxt" });
  const visited: string[] = [];

  for (const [route, states] of Object.entries(listed.routes)) {
    for (const state of states) {
      let page: Page;
      if (state === "signed-out") {
        const anonymous = await browser.newContext();
        page = await anonymous.newPage();
      } else {
        page = await context.newPage();
      }
      if (state.startsWith("kruxt:")) {
        await api(request, "POST", `/sandbox/${kruxt}/kruxt/assume`, { actor: state.slice("kruxt:".length) });
      }
      const id = state === "tier" ? tier : kruxt;
      const url = route.replace("{id}", id);
      const errors = watch(page);
      await visit(page, url);
      expect(errors, `${url} as ${state}: errors while loading`).toEqual([]);
      await checkContent(page, route, state);
      expect(errors, `${url} as ${state}: errors while checking its content`).toEqual([]);
      visited.push(`${route} ${state}`);
      await page.close();
    }
  }
  expect(visited.length).toBeGreaterThanOrEqual(Object.keys(listed.routes).length);
  await cleanSlate(request);
  await context.close();
});
