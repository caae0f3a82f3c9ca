// {{#if (eq a b)}} — strict equality.
export function eq(a: unknown, b: unknown): boolean {
  return a === b
}
