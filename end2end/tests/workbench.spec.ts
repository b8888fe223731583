import { test, expect } from "@playwright/test";
import { signIn, createSandbox, api, destroy, cleanSlate } from "./helpers";

test.beforeEach(async ({ request }) => cleanSlate(request));

test("the matrix highlights the effective tier, explains a cell and shows what-if flips", async ({ page, request }) => {
  await signIn(page);
  const id = await createSandbox(request, `matrix-${Date.now()}`);
  await api(request, "PATCH", `/sandbox/${id}/simulation/state`, { rank: 42 });
  await page.goto(`/sandboxes/${id}/matrix`);
  await expect(page.getByTestId("live")).toHaveAttribute("data-live", "connected");
  const channels = page.getByRole("table", { name: "Channels by tier" });
  await expect(channels.locator("tr[aria-current=true]")).toContainText("Fedaykin");
  await channels.getByRole("button", { name: "Hajra × council-chamber: denied" }).click();
  await expect(page.getByTestId("cell-explanation")).toContainText("Hajra × council-chamber");

  await page.getByLabel("ENGAGED_MIN (points)").fill("75");
  await page.getByLabel("Members").fill("2000");
  await page.getByRole("button", { name: "Compare" }).click();
  await expect(page.getByTestId("whatif-result")).toContainText("of 2000 members change tier");
  await expect(page.getByTestId("whatif-result")).toContainText("stage");

  await page.getByLabel("Sihaya BGT ≥").fill("300");
  await page.getByRole("button", { name: "Compare" }).click();
  await expect(page.getByTestId("whatif-result")).toContainText(/[1-9]\d* of 2000 members change tier/);
  await expect(page.getByTestId("whatif-result")).toContainText("qanat -> sihaya");
  await destroy(request, id);
});

test("thresholds are overridden, marked and reset; the blur preview follows the gate", async ({ page, request }) => {
  await signIn(page);
  const id = await createSandbox(request, `thresholds-${Date.now()}`);
  await page.goto(`/sandboxes/${id}/thresholds`);
  await expect(page.getByTestId("live")).toHaveAttribute("data-live", "connected");
  await page.getByLabel("ENGAGED_MIN (points)").fill("75");
  await page.getByRole("button", { name: "Save overrides" }).click();
  await expect(page.getByRole("cell", { name: "(overridden)" })).toBeVisible();
  const shown = await api(request, "GET", `/sandbox/${id}/simulation/thresholds`);
  expect(shown.engagement.engagedMin.value).toBe(75);
  await page.getByLabel("Sihaya — BGT ≥").fill("10");
  await page.getByRole("button", { name: "Save overrides" }).click();
  await expect(page.getByRole("alert")).toContainText("bgt");
  await page.getByRole("button", { name: "Reset to defaults" }).click();
  await expect(page.getByRole("cell", { name: "(overridden)" })).toHaveCount(0);

  await page.getByRole("link", { name: "Blur" }).click();
  await expect(page.getByTestId("blur-stage")).toContainText("Stage free · blur 80%");
  await page.getByLabel("Engagement points").fill("60");
  await expect(page.getByTestId("blur-stage")).toContainText("Stage engaged · blur 30%");
  await page.getByLabel("ENGAGED_MIN override").fill("75");
  await expect(page.getByTestId("blur-stage")).toContainText("Stage free · blur 80%");
  await page.getByRole("button", { name: /#council-chamber/ }).click();
  await expect(page.getByTestId("pane-blur")).toContainText("fully hidden");
  await destroy(request, id);
});

test("the audit trail lists changes newest first and filters them; lint explains the theme", async ({ page, request }) => {
  await signIn(page);
  const id = await createSandbox(request, `audit-${Date.now()}`);
  await api(request, "POST", `/sandbox/${id}/simulation/assume`, { tierId: "naib" });
  await page.goto(`/sandboxes/${id}/audit`);
  await expect(page.getByTestId("live")).toHaveAttribute("data-live", "connected");
  const entries = page.getByRole("list", { name: "Audit entries, newest first" }).getByRole("listitem");
  await expect(entries.first()).toContainText("assume");
  await page.getByLabel("Kind").selectOption("lifecycle");
  await expect(entries.first()).toContainText("sandbox.running");
  await page.getByRole("link", { name: "Lint" }).click();
  await expect(page.getByText(/findings for theme sietch/)).toBeVisible();
  await destroy(request, id);
});

test("API tokens are created once-visible and revoked", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "API tokens" }).click();
  await page.getByLabel("Token name").fill("playwright");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token")).toContainText("ck_");
  await page.getByRole("button", { name: "Revoke token playwright" }).first().click();
  await expect(page.getByRole("row", { name: /playwright/ }).first()).toContainText("revoked");
});

test("a scenario with one failing assertion shows expected vs actual, and the run is kept", async ({ page, request }) => {
  await signIn(page);
  const id = await createSandbox(request, `scenario-${Date.now()}`);
  await page.goto(`/sandboxes/${id}/scenarios`);
  await expect(page.getByTestId("live")).toHaveAttribute("data-live", "connected");
  const file = [
    "name: One failure",
    "scenarios:",
    "  - name: BGT 500",
    "    when:",
    "      - set: {bgt: 500}",
    "    then:",
    "      - tier: {computed: sihaya}",
    "      - tier: {computed: naib}",
  ].join("\n");
  await page.getByLabel("Scenario file (YAML or JSON)").fill(file);
  await page.getByLabel("Save as (optional)").fill("smoke");
  await page.getByRole("button", { name: "Run scenario" }).click();
  const result = page.getByTestId("scenario-result");
  await expect(result.getByRole("status")).toHaveText("One failure: 1 of 2 assertions passed, 1 failed");
  const failing = result.getByRole("row").filter({ hasText: "fail" });
  await expect(failing).toContainText("naib");
  await expect(failing).toContainText("sihaya");
  const runs = page.getByRole("list", { name: "Scenario runs, newest first" });
  await expect(runs.getByRole("listitem").first()).toContainText("failed");
  await expect(runs.getByRole("link", { name: "JUnit XML" }).first()).toHaveAttribute("href", new RegExp(`/sandbox/${id}/scenario-runs/.+/junit`));
  await page.getByRole("button", { name: "Run saved scenario smoke" }).click();
  await expect(runs.getByRole("listitem")).toHaveCount(2);
  await destroy(request, id);
});
