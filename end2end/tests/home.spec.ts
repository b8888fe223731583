import { test, expect } from "@playwright/test";

test("the start page hydrates and asks the server again for the system state", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));

  await page.goto("/");
  await expect(page).toHaveTitle("Home · Crysknife");
  await expect(page.getByRole("heading", { name: "Crysknife", level: 1 })).toBeVisible();

  // Tailwind's classes reached the stylesheet.
  const bg = await page.locator("body").evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(bg).not.toBe("rgba(0, 0, 0, 0)");

  const system = page.getByRole("region", { name: "System" });
  await expect(system.getByRole("rowheader", { name: "postgres" })).toBeVisible();
  const firstCheck = await system.getByTestId("checked-at").textContent();

  await system.getByRole("button", { name: "Check the stores now" }).click();
  await expect(system.getByRole("status")).toHaveText("Checked again 1 time on this visit.");
  await expect(system.getByTestId("checked-at")).not.toHaveText(firstCheck ?? "");
  await expect(system.getByRole("row", { name: /postgres/ })).toContainText("up");
  await expect(system.getByRole("row", { name: /hot/ })).toContainText("memory");

  expect(errors).toEqual([]);
});
