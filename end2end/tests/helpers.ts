import { APIRequestContext, Page, expect } from "@playwright/test";

export const ADMIN_TOKEN = process.env.ADMIN_TOKEN ?? "";

/** Signs the browser in through the sign-in page with the admin's API token. */
export async function signIn(page: Page) {
  expect(ADMIN_TOKEN, "scripts/test passes ADMIN_TOKEN").not.toBe("");
  await page.goto("/login");
  await page.getByLabel("API token").fill(ADMIN_TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/sandboxes");
}

/** Creates a sandbox through the REST API (as an agent would) and returns its id. */
export async function createSandbox(request: APIRequestContext, name: string, body: object = {}): Promise<string> {
  const res = await request.post("/sandbox", {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    data: { name, ...body },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id;
}

/** Calls the REST API as the admin. */
export async function api(request: APIRequestContext, method: string, path: string, data?: object) {
  const res = await request.fetch(path, { method, headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, data });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBeTruthy();
  return res.json();
}

/** Destroys a sandbox so the owner's limit of 5 live sandboxes is never reached. */
export async function destroy(request: APIRequestContext, id: string) {
  await request.delete(`/sandbox/${id}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
}

/** Destroys every sandbox the admin can see, so each test starts within the owner's limit. */
export async function cleanSlate(request: APIRequestContext) {
  const res = await request.get("/sandbox", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  for (const s of await res.json()) {
    if (s.state === "running" || s.state === "expired") await destroy(request, s.id);
  }
}
