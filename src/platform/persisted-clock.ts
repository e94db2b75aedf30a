import type { DocumentStore } from "../storage/documents.js";
import type { Clock } from "./clock.js";

// With a data dir, Terrarium's time outlives a restart: a clock advanced by a day
// (to expire objects, fire schedules) must not go back a day when the server comes
// up again, or everything stored with a timestamp would lie in the future and the
// timers re-armed from it would come late. The time reached by the last advance is
// saved; a restart resumes from it (or from real time, if that is later).

export function persistClock(clock: Clock, documents: DocumentStore): void {
  const saved = documents.collection<{ at: number }>("_clock", "-", "-", "time");
  const last = saved.get("reached")?.at;
  if (last !== undefined) clock.resumeFrom(last);
  clock.onAdvance(() => saved.put("reached", { at: clock.now() }));
}
