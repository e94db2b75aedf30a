import type {
  AttributeDefinition, CreateTableInput, GlobalSecondaryIndex, KeySchemaElement, LocalSecondaryIndex, Projection,
} from "@aws-sdk/client-dynamodb";
import { INVALID, validation } from "./errors.js";
import { DynamoDbLimits } from "./limits.js";

// CreateTable's checks beyond the model's constraints, in AWS's order and with
// its messages (recorded in dynalite's validations/createTable.js).

function keyErrors(schema: KeySchemaElement[], defined: string[]): string | undefined {
  const keys = schema.map((k) => k.AttributeName!);
  if (keys.some((k) => !defined.includes(k))) {
    return `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(", ")}], AttributeDefinitions: [${defined.join(", ")}]`;
  }
  if (schema[1] && keys[0] === keys[1]) return "Both the Hash Key and the Range Key element in the KeySchema have the same name";
  if (schema[0]!.KeyType !== "HASH") return "Invalid KeySchema: The first KeySchemaElement is not a HASH key type";
  if (schema[1] && schema[1].KeyType !== "RANGE") return "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type";
  return undefined;
}

function projectionError(p: Projection | undefined): string | undefined {
  if (p?.ProjectionType == null) return `${INVALID}Unknown ProjectionType: null`;
  if (p.NonKeyAttributes && p.ProjectionType !== "INCLUDE") {
    return `${INVALID}ProjectionType is ${p.ProjectionType}, but NonKeyAttributes is specified`;
  }
  return undefined;
}

export function checkThroughput(billing: string | undefined, t: CreateTableInput["ProvisionedThroughput"]): void {
  if (billing === "PAY_PER_REQUEST") {
    if (t) throw validation(`${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`);
    return;
  }
  if (!t?.ReadCapacityUnits || !t.WriteCapacityUnits) {
    throw validation(`${INVALID}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`);
  }
  if (t.ReadCapacityUnits > 1e12) throw validation(`Given value ${t.ReadCapacityUnits} for ReadCapacityUnits is out of bounds`);
  if (t.WriteCapacityUnits > 1e12) throw validation(`Given value ${t.WriteCapacityUnits} for WriteCapacityUnits is out of bounds`);
}

export function checkGsi(index: GlobalSecondaryIndex, defined: string[], billing: string | undefined): void {
  const e = keyErrors(index.KeySchema!, defined) ?? projectionError(index.Projection);
  if (e) throw validation(e);
  if (billing === "PAY_PER_REQUEST" && index.ProvisionedThroughput) {
    throw validation(`${INVALID}ProvisionedThroughput should not be specified for index: ${index.IndexName} when BillingMode is PAY_PER_REQUEST`);
  }
  if (billing !== "PAY_PER_REQUEST" && !index.ProvisionedThroughput) {
    throw validation(`${INVALID}ProvisionedThroughput must be specified for index: ${index.IndexName}`);
  }
}

export function validateCreateTable(input: CreateTableInput): void {
  checkThroughput(input.BillingMode, input.ProvisionedThroughput);
  const defs: AttributeDefinition[] = input.AttributeDefinitions!;
  const defined = defs.map((d) => d.AttributeName!);
  const schema = input.KeySchema!;
  if (schema.length > defined.length) throw validation("Invalid KeySchema: Some index key attribute have no definition");
  const e = keyErrors(schema, defined);
  if (e) throw validation(e);
  const lsis: LocalSecondaryIndex[] | undefined = input.LocalSecondaryIndexes;
  const gsis: GlobalSecondaryIndex[] | undefined = input.GlobalSecondaryIndexes;
  const names = new Set<string>();
  if (lsis) {
    if (lsis.length === 0) throw validation(`${INVALID}List of LocalSecondaryIndexes is empty`);
    if (schema.length !== 2) {
      throw validation(`${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`);
    }
    for (const index of lsis) {
      const ke = keyErrors(index.KeySchema!, defined);
      if (ke) throw validation(ke);
      if (index.KeySchema!.length !== 2) throw validation(`${INVALID}Index KeySchema does not have a range key for index: ${index.IndexName}`);
      const hash = index.KeySchema![0]!.AttributeName;
      if (hash !== schema[0]!.AttributeName) {
        throw validation(`${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: ${index.IndexName}. index hash key: ${hash}, table hash key: ${schema[0]!.AttributeName}`);
      }
      const pe = projectionError(index.Projection);
      if (pe) throw validation(pe);
      if (names.has(index.IndexName!)) throw validation(`${INVALID}Duplicate index name: ${index.IndexName}`);
      names.add(index.IndexName!);
    }
    if (lsis.length > DynamoDbLimits.maxLsis) {
      throw validation(`${INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of ${DynamoDbLimits.maxLsis}`);
    }
  }
  if (gsis) {
    if (gsis.length === 0) throw validation(`${INVALID}List of GlobalSecondaryIndexes is empty`);
    for (const index of gsis) {
      checkGsi(index, defined, input.BillingMode);
      if (names.has(index.IndexName!)) throw validation(`${INVALID}Duplicate index name: ${index.IndexName}`);
      names.add(index.IndexName!);
    }
    if (gsis.length > DynamoDbLimits.maxGsis) {
      throw validation(`${INVALID}GlobalSecondaryIndex count exceeds the per-table limit of ${DynamoDbLimits.maxGsis}`);
    }
  }
  // Every definition must be used by a key of the table or an index.
  const used = new Set([...schema, ...(lsis ?? []).flatMap((i) => i.KeySchema!), ...(gsis ?? []).flatMap((i) => i.KeySchema!)].map((k) => k.AttributeName!));
  if (defined.length !== used.size || defined.some((d) => !used.has(d))) {
    throw validation(`${INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`);
  }
  if (input.StreamSpecification?.StreamEnabled && !input.StreamSpecification.StreamViewType) {
    throw validation("1 validation error detected: Value null at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must not be null");
  }
}
