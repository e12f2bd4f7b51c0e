import assert from "node:assert/strict";
import { DEVICES } from "./types.ts";
import { validateSession } from "./validate_session.ts";

/** The device a session row with this `device_type` is stored with. */
function canonicalDevice(value: string | null | undefined): string {
  const result = validateSession({
    session_id: "S1",
    user_id: "U1",
    content_id: "C1",
    watch_duration_minutes: "10",
    device_type: value ?? undefined,
  });
  if (!result.ok) throw new Error(`rejected: ${result.reject.reason}`);
  return result.record.device_type;
}

Deno.test("validateSession() maps every device spelling and alias of section 4", async (t) => {
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

Deno.test("validateSession() maps empty and unknown device names to Other", async (t) => {
  for (const value of ["", "  ", "toaster", "smart fridge", "tv", "mobile phone", undefined, null]) {
    await t.step(JSON.stringify(value) ?? "undefined", () => assert.equal(canonicalDevice(value), "Other"));
  }
});
