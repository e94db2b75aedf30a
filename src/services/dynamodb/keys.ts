import { itemSize, MAX_ITEM_SIZE, validateItem, type Item } from "../../engines/dynamodb/index.js";
import { expressions, INVALID, validation } from "./errors.js";
import { DynamoDbLimits } from "./limits.js";
import type { OpenTable } from "./store.js";
import { storageKey } from "./table.js";

// Keys and items checked against a table's schema, with AWS's messages (as
// dynalite's db/index.js records them: validateKey, validateItem, checkKeySize).

function checkKeyPiece(value: unknown, type: string, name: string, isHash: boolean): void {
  const v = (value as Record<string, unknown>)[type];
  if ((type === "S" || type === "B") && (v as { length: number }).length === 0) {
    throw validation(`${INVALID}The AttributeValue for a key attribute cannot contain an empty ${type === "S" ? "string" : "binary"} value. Key: ${name}`);
  }
  if (type === "N") return;
  const bytes = type === "S" ? Buffer.byteLength(v as string) : (v as Uint8Array).length;
  if (isHash && bytes > DynamoDbLimits.maxHashKeyBytes) {
    throw validation(`${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`);
  }
  if (!isHash && bytes > DynamoDbLimits.maxRangeKeyBytes) {
    throw validation(`${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`);
  }
}

/** A Key parameter: exactly the table's key attributes, of their types. Returns it normalized, with its storage key. */
export function checkKey(table: OpenTable, key: Item | undefined): { key: Item; pk: Buffer; sk: Buffer } {
  const k = expressions(() => validateItem(key ?? {}));
  const def = table.key;
  if (Object.keys(k).length !== (def.range ? 2 : 1)) throw validation("The provided key element does not match the schema");
  for (const [part, isHash] of [[def.hash, true], [def.range, false]] as const) {
    if (!part) continue;
    const v = k[part.name];
    if (v === undefined || !(part.type in v)) throw validation("The provided key element does not match the schema");
    checkKeyPiece(v, part.type, part.name, isHash);
  }
  const s = storageKey(k, def)!;
  return { key: k, pk: s.pk, sk: s.sk };
}

/** An item to write: its key attributes present and typed, index keys typed, at most 400 KB. */
export function checkItem(table: OpenTable, item: Item | undefined): { item: Item; pk: Buffer; sk: Buffer; size: number } {
  const it = expressions(() => validateItem(item ?? {}));
  checkItemKeys(table, it);
  const size = checkSize(it);
  const s = storageKey(it, table.key)!;
  return { item: it, pk: s.pk, sk: s.sk, size };
}

export function checkItemKeys(table: OpenTable, item: Item): void {
  const def = table.key;
  for (const [part, isHash] of [[def.hash, true], [def.range, false]] as const) {
    if (!part) continue;
    const v = item[part.name];
    if (v === undefined) throw validation(`${INVALID}Missing the key ${part.name} in the item`);
    if (!(part.type in v)) {
      throw validation(`${INVALID}Type mismatch for key ${part.name} expected: ${part.type} actual: ${Object.keys(v)[0]}`);
    }
    checkKeyPiece(v, part.type, part.name, isHash);
  }
  for (const index of table.indexes) {
    for (const part of [index.key.hash, index.key.range]) {
      if (!part) continue;
      const v = item[part.name];
      if (v !== undefined && !(part.type in v)) {
        throw validation(`${INVALID}Type mismatch for Index Key ${part.name} Expected: ${part.type} Actual: ${Object.keys(v)[0]} IndexName: ${index.record.name}`);
      }
      if (v !== undefined) {
        const raw = (v as Record<string, unknown>)[part.type] as { length: number };
        if ((part.type === "S" || part.type === "B") && raw.length === 0) {
          throw validation(`${INVALID}One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty ${part.type === "S" ? "string" : "binary"} value. IndexName: ${index.record.name}, IndexKey: ${part.name}`);
        }
      }
    }
  }
}

/** The item's size, at most 400 KB; an update's new item is refused in other words (dynalite's actions/updateItem.js). */
export function checkSize(item: Item, update = false): number {
  const size = itemSize(item);
  if (size > MAX_ITEM_SIZE) throw validation(`Item size ${update ? "to update " : ""}has exceeded the maximum allowed size`);
  return size;
}
