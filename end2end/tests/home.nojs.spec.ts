import { test, expect } from "@playwright/test";

test("without JavaScript the server-rendered start page shows the same system data", async ({ page, request }) => {
  const api = await request.post("/api/v1/system/info", { data: {} });
  expect(api.ok()).toBeTruthy();
  const info = await api.json();

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Crysknife", level: 1 })).toBeVisible();
  const system = page.getByRole("region", { name: "System" });
  await expect(system.getByTestId("system-version")).toHaveText(info.version);
  for (const store of info.stores) {
    const row = system.getByRole("row", { name: new RegExp(store.name) });
    await expect(row).toContainText(store.backend);
    await expect(row).toContainText(store.up ? "up" : "down");
  }
  await expect(system.getByText("Schema version")).toBeVisible();
  await expect(page.getByTestId("version")).toHaveText(info.version);
});
