import assert from "node:assert/strict";
import { generateContent } from "./generate_content.ts";
import { SessionSampler } from "./session_sampler.ts";
import { UserTable } from "./user_table.ts";

const USERS = UserTable.generate(300, 5);
const CONTENT = generateContent(5);

Deno.test("SessionSampler.draw() repeats for the same seed", () => {
  const first = new SessionSampler(USERS, CONTENT, 5);
  const second = new SessionSampler(USERS, CONTENT, 5);
  for (let i = 0; i < 200; i++) assert.deepEqual(first.draw(i), second.draw(i));
});

Deno.test("SessionSampler.draw() widens session ids past 9,999,999 sessions", () => {
  assert.equal(new SessionSampler(USERS, CONTENT, 5).draw(0)[0], "SS0000001");
  assert.equal(new SessionSampler(USERS, CONTENT, 5, { sessions: 12_000_000 }).draw(41)[0], "SS00000042");
});

Deno.test("SessionSampler.draw() keeps the duration consistent with the content and the completion", () => {
  const sampler = new SessionSampler(USERS, CONTENT, 5);
  // Minutes of one viewing: a movie's length, or one to three episodes of a series.
  const runtimes = new Map<string, [number, number]>();
  for (const movie of CONTENT.movies) {
    runtimes.set(movie.content_id, [movie.duration_minutes, movie.duration_minutes]);
  }
  for (const series of CONTENT.series) {
    runtimes.set(series.content_id, [series.avg_episode_duration, 3 * series.avg_episode_duration]);
  }
  for (let i = 0; i < 2_000; i++) {
    const [, , content, , duration, completion] = sampler.draw(i);
    const [shortest, longest] = runtimes.get(content)!;
    const share = Number(completion) / 100;
    // Both values are rounded to one decimal: allow for it.
    const slack = 0.05 + longest * 0.0005 + 1e-9;
    assert.ok(Number(duration) >= shortest * share - slack, `${content}: ${duration} min at ${completion} %`);
    assert.ok(Number(duration) <= longest * share + slack, `${content}: ${duration} min at ${completion} %`);
  }
});
