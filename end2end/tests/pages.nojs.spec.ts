import { test, expect } from "@playwright/test";
import { ADMIN_TOKEN, createSandbox, api, destroy, cleanSlate } from "./helpers";

test.beforeEach(async ({ request }) => cleanSlate(request));

test("without JavaScript the read-only pages render on the server", async ({ page, context }) => {
  const login = await context.request.post("/api/v1/auth/login", { data: { credentials: { token: ADMIN_TOKEN } } });
  expect(login.ok()).toBeTruthy();
  const id = await createSandbox(context.request, `nojs-${Date.now()}`);
  await api(context.request, "PATCH", `/sandbox/${id}/simulation/state`, { bgtBalance: 500 });

  await page.goto("/sandboxes");
  await expect(page.getByRole("link", { name: /nojs-/ }).first()).toBeVisible();
  await page.goto(`/sandboxes/${id}`);
  await expect(page.getByTestId("tier-in-force")).toHaveText("Sihaya");
  await expect(page.getByLabel("BGT balance")).toHaveValue("500");
  await page.goto(`/sandboxes/${id}/matrix`);
  await expect(page.getByRole("table", { name: "Channels by tier" }).locator("tr[aria-current=true]")).toContainText("Sihaya");
  await expect(page.getByRole("link", { name: "Download CSV" })).toHaveAttribute("href", /^data:text\/csv/);
  await page.goto(`/sandboxes/${id}/thresholds`);
  await expect(page.getByLabel("Sihaya — BGT ≥")).toHaveValue("420");
  await page.goto(`/sandboxes/${id}/audit`);
  await expect(page.getByRole("list", { name: "Audit entries, newest first" })).toContainText("state.patch");
  await page.goto(`/sandboxes/${id}/lint`);
  await expect(page.getByText(/findings for theme sietch/)).toBeVisible();
  await destroy(context.request, id);
});

test("without JavaScript the sign-in form still signs in", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("API token").fill(ADMIN_TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sandboxes$/);
  await expect(page.getByTestId("signed-in-user")).toHaveText("admin");
});

test("without JavaScript the KRUXT act page and staff console render for the assumed actor", async ({ page, context }) => {
  const login = await context.request.post("/api/v1/auth/login", { data: { credentials: { token: ADMIN_TOKEN } } });
  expect(login.ok()).toBeTruthy();
  const id = await createSandbox(context.request, `nojs-kruxt-${Date.now()}`, { themeId: "kruxt" });
  await api(context.request, "POST", `/sandbox/${id}/kruxt/assume`, { actor: "marco_bianchi" });

  await page.goto(`/kruxt/sandboxes/${id}`);
  await expect(page.getByTestId("kruxt-actor")).toContainText("Marco Bianchi");
  await expect(page.getByRole("form", { name: "Add a user" }).getByLabel("Gym").locator("option")).toHaveCount(3);
  await page.goto(`/kruxt/sandboxes/${id}/console`);
  await expect(page.getByRole("list", { name: "Pending memberships" })).toContainText("Paolo Marino");
  // The gym is chosen with a plain GET form: the other gym's console, where Marco is not staff.
  await page.getByLabel("Gym", { exact: true }).selectOption({ label: "Wellness Zone" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/console\?gym=10000000-0000-4000-8000-000000000002/);
  await expect(page.getByTestId("console-error")).toContainText("ADMIN_STAFF_ACCESS_DENIED");
  await destroy(context.request, id);
});
