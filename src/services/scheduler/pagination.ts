import { pageSorted, type Page } from "../../platform/pagination.js";
import { validation } from "./errors.js";

// NextToken for the List* operations: the last key answered, opaque to clients.

export function page<T>(items: T[], keyOf: (item: T) => string, limit: number | undefined, token: string | undefined, max = 100): Page<T> {
  return pageSorted(items, keyOf, limit, token, () => validation("Invalid NextToken."), max);
}
