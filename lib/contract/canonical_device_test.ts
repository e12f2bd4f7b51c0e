import assert from "node:assert/strict";
import { canonicalDevice } from "./canonical_device.ts";
import { DEVICES } from "./types.ts";

Deno.test("canonicalDevice() maps every spelling and alias of section 4", async (t) => {
  const cases: [string, string][] = [
    ["Smart TV", "Smart TV"],
    ["smart_tv", "Smart TV"],
    ["SMARTTV", "Smart TV"],
    ["Smart-TV", "Smart TV"],
    ["  smart   tv ", "Smart TV"],
    ["Mobile", "Mobile"],
    ["phone", "Mobile"],
    ["Smartphone", "Mobile"],
    ["smart-phone", "Mobile"],
    ["Desktop", "Desktop"],
    ["PC", "Desktop"],
    ["computer", "Desktop"],
    ["Laptop", "Laptop"],
    ["TABLET", "Tablet"],
    ["Gaming Console", "Gaming Console"],
    ["gaming_console", "Gaming Console"],
    ["console", "Gaming Console"],
    ["other", "Other"],
  ];
  for (const [value, expected] of cases) {
    await t.step(JSON.stringify(value), () => assert.equal(canonicalDevice(value), expected));
  }
  await t.step("every canonical name maps to itself", () => {
    for (const device of DEVICES) assert.equal(canonicalDevice(device), device);
  });
});

Deno.test("canonicalDevice() maps empty and unknown names to Other", async (t) => {
  for (const value of ["", "  ", "toaster", "smart fridge", "tv", "mobile phone", undefined, null]) {
    await t.step(JSON.stringify(value) ?? "undefined", () => assert.equal(canonicalDevice(value), "Other"));
  }
});
