import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

// One SQLite database per server: in memory by default, a WAL file in the data
// directory otherwise. better-sqlite3 is synchronous, so a write has reached the
// WAL before the request that made it is acknowledged; synchronous=NORMAL keeps
// it across a process crash (kill -9), which is the durability we promise.

export type Sqlite = Database.Database;

export function openDatabase(dataDir: string | undefined): Sqlite {
  if (!dataDir) return new Database(":memory:");
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, "terrarium.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  return db;
}
