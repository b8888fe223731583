import { test, expect } from "@playwright/test";
import { signIn, createSandbox, api, destroy, cleanSlate } from "./helpers";

test.beforeEach(async ({ request }) => cleanSlate(request));

test("sign in, create a sandbox, assume roles and see granted and denied embeds", async ({ page, request }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await signIn(page);
  await expect(page.getByTestId("signed-in-user")).toHaveText("admin");

  const name = `journey-${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("status")).toContainText(`Created ${name}`);
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByTestId("live")).toHaveAttribute("data-live", "connected");
  const id = page.url().split("/").pop()!;

  await page.getByLabel("Tier").selectOption("fedaykin");
  await page.getByRole("button", { name: "Assume" }).click();
  await expect(page.getByTestId("tier-in-force")).toHaveText("Fedaykin");
  await page.getByLabel("Channel").selectOption("war-room");
  await page.getByRole("button", { name: "Check access" }).click();
  const granted = page.getByRole("article", { name: "ACCESS GRANTED: #war-room" });
  await expect(granted).toBeVisible();
  await expect(granted).toContainText("Required Tier: Fedaykin (rank 8-69)");

  await page.getByLabel("Tier").selectOption("hajra");
  await page.getByRole("button", { name: "Assume" }).click();
  await expect(page.getByTestId("tier-in-force")).toHaveText("Hajra");
  await expect(page.getByTestId("tier-source")).toHaveText("assumed");
  await page.getByLabel("Channel").selectOption("council-chamber");
  await page.getByRole("button", { name: "Check access" }).click();
  const denied = page.getByRole("article", { name: "ACCESS DENIED: #council-chamber" });
  await expect(denied).toBeVisible();
  await expect(denied).toContainText("Required Tier: Naib (rank 1-7)");
  await expect(denied).toContainText("Top 7");

  await page.getByRole("button", { name: "Reset to computed" }).click();
  await expect(page.getByTestId("tier-source")).toHaveText("computed");
  await page.getByLabel("BGT balance").fill("500");
  await expect(page.getByTestId("state-preview")).toContainText("Sihaya (BGT >= 420)");
  await page.getByRole("button", { name: "Save state" }).click();
  await expect(page.getByTestId("tier-in-force")).toHaveText("Sihaya");
  await expect(page.getByTestId("computed-tier")).toContainText("BGT >= 420");

  const stored = await api(request, "GET", `/sandbox/${id}/simulation/state`);
  expect(stored.bgtBalance).toBe("500");
  expect(errors).toEqual([]);
  await destroy(request, id);
});

test("invalid state shows the field's error inline and saves nothing", async ({ page, request }) => {
  await signIn(page);
  const id = await createSandbox(request, `invalid-${Date.now()}`);
  await page.goto(`/sandboxes/${id}`);
  await expect(page.getByTestId("live")).toHaveAttribute("data-live", "connected");
  await page.getByLabel("Rank (empty for none)").fill("0");
  await expect(page.getByRole("alert")).toContainText("positive whole number");
  await expect(page.getByRole("button", { name: "Save state" })).toBeDisabled();
  const stored = await api(request, "GET", `/sandbox/${id}/simulation/state`);
  expect(stored.version).toBe(1);
  await destroy(request, id);
});

test("a change made through the API appears live on an open console", async ({ page, request }) => {
  await signIn(page);
  const id = await createSandbox(request, `live-${Date.now()}`);
  await page.goto(`/sandboxes/${id}`);
  await expect(page.getByTestId("live")).toHaveAttribute("data-live", "connected");
  await expect(page.getByTestId("tier-in-force")).toHaveText("Hajra");
  await api(request, "PATCH", `/sandbox/${id}/simulation/state`, { rank: 3 });
  await expect(page.getByTestId("tier-in-force")).toHaveText("Naib", { timeout: 3000 });
  await destroy(request, id);
});
