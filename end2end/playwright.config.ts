import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium, never a downloaded browser (`npx playwright install` is not used here).
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const BASE_URL = process.env.BASE_URL ?? "http://127.0.0.1:3000";

const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  },
};

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: "list",
  globalSetup: "./global-setup.ts",
  use: { baseURL: BASE_URL, trace: "off" },
  projects: [
    // Hydrated: the wasm bundle runs, buttons call server functions.
    { name: "hydrated", use: chromium, testIgnore: /\.nojs\.spec\.ts$/ },
    // JavaScript disabled: the server-rendered pages must carry the same data.
    { name: "no-javascript", use: { ...chromium, javaScriptEnabled: false }, testMatch: /\.nojs\.spec\.ts$/ },
  ],
});
