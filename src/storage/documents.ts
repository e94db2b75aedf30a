import type { Sqlite } from "./database.js";

// Control-plane state as JSON documents keyed by (service, account, region, kind, id),
// read through an in-memory cache and written through to SQLite in the same call.
// Data-plane services with their own access paths (DynamoDB items, queue messages)
// create their own tables instead.

export class DocumentStore {
  private readonly select;
  private readonly upsert;
  private readonly remove;
  private readonly removeService;

  constructor(private readonly db: Sqlite) {
    db.exec(`CREATE TABLE IF NOT EXISTS documents (
      service TEXT NOT NULL, account TEXT NOT NULL, region TEXT NOT NULL,
      kind TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,
      PRIMARY KEY (service, account, region, kind, id)) WITHOUT ROWID`);
    this.select = db.prepare<[string, string, string, string], { id: string; doc: string }>(
      "SELECT id, doc FROM documents WHERE service = ? AND account = ? AND region = ? AND kind = ? ORDER BY id",
    );
    this.upsert = db.prepare(
      "INSERT INTO documents (service, account, region, kind, id, doc) VALUES (?, ?, ?, ?, ?, ?) " +
        "ON CONFLICT (service, account, region, kind, id) DO UPDATE SET doc = excluded.doc",
    );
    this.remove = db.prepare("DELETE FROM documents WHERE service = ? AND account = ? AND region = ? AND kind = ? AND id = ?");
    this.removeService = db.prepare("DELETE FROM documents WHERE service = ?");
  }

  collection<T>(service: string, account: string, region: string, kind: string): Collection<T> {
    const rows = this.select.all(service, account, region, kind);
    const items = new Map<string, T>(rows.map((r) => [r.id, JSON.parse(r.doc) as T]));
    return new Collection<T>(items, {
      write: (id, doc) => this.upsert.run(service, account, region, kind, id, JSON.stringify(doc)),
      delete: (id) => this.remove.run(service, account, region, kind, id),
    });
  }

  /** Every (service, account, region) that has documents. */
  scopes(): { service: string; account: string; region: string }[] {
    return this.db.prepare("SELECT DISTINCT service, account, region FROM documents").all() as { service: string; account: string; region: string }[];
  }

  deleteService(service: string): void {
    this.removeService.run(service);
  }

  transaction<R>(fn: () => R): R {
    return this.db.transaction(fn)();
  }
}

interface Persistence<T> {
  write(id: string, doc: T): void;
  delete(id: string): void;
}

/** A keyed set of documents. Values handed out are the cached objects: mutate
 *  them only through `put`, which persists. */
export class Collection<T> {
  constructor(
    private readonly items: Map<string, T>,
    private readonly persistence: Persistence<T>,
  ) {}

  get(id: string): T | undefined {
    return this.items.get(id);
  }

  has(id: string): boolean {
    return this.items.has(id);
  }

  put(id: string, doc: T): T {
    this.persistence.write(id, doc);
    this.items.set(id, doc);
    return doc;
  }

  delete(id: string): boolean {
    if (!this.items.has(id)) return false;
    this.persistence.delete(id);
    this.items.delete(id);
    return true;
  }

  get size(): number {
    return this.items.size;
  }

  values(): T[] {
    return [...this.items.values()];
  }

  entries(): [string, T][] {
    return [...this.items.entries()];
  }

  find(predicate: (doc: T) => boolean): T | undefined {
    for (const doc of this.items.values()) if (predicate(doc)) return doc;
    return undefined;
  }
}
