// Inngest expressions are CEL. Evaluation is lenient like Inngest's: any
// parse or evaluation error (a missing key, a type mismatch) means "no match".
import { parse, type ASTNode, type ParseResult } from "@marcbachmann/cel-js";

const compiled = new Map<string, ParseResult | Error>();
const MAX_CACHE = 2_000;

function compile(expression: string): ParseResult {
  let entry = compiled.get(expression);
  if (!entry) {
    try {
      entry = parse(expression);
    } catch (error) {
      entry = error instanceof Error ? error : new Error(String(error));
    }
    if (compiled.size >= MAX_CACHE) compiled.clear();
    compiled.set(expression, entry);
  }
  if (entry instanceof Error) throw entry;
  return entry;
}

/** Whether the expression parses; used to warn at sync time. */
export function isValidExpression(expression: string): boolean {
  try {
    compile(expression);
    return true;
  } catch {
    return false;
  }
}

export function evaluate(expression: string, vars: Record<string, unknown>): unknown {
  return compile(expression)(vars);
}

/** True when there is no expression, or it evaluates to `true`. Errors mean false. */
export function matches(expression: string | null | undefined, vars: Record<string, unknown>): boolean {
  if (!expression || expression.trim() === "") return true;
  try {
    return evaluate(expression, vars) === true;
  } catch {
    return false;
  }
}

/** The string value of a key expression (idempotency, concurrency key), or undefined. */
export function evaluateKey(expression: string, vars: Record<string, unknown>): string | undefined {
  try {
    const value = evaluate(expression, vars);
    if (value === null || value === undefined) return undefined;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  } catch {
    return undefined;
  }
}

export function getPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The index form of a value: JSON of a string, finite number or boolean. */
export function indexValue(value: unknown): string | undefined {
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number" && Number.isFinite(value)) return JSON.stringify(value);
  if (typeof value === "bigint") return value.toString();
  return undefined;
}

export type MatchKey = { path: string; source: "event"; eventPath: string } | { path: string; source: "literal"; value: string };

/**
 * Finds, among the top-level `&&` conjuncts of an expression, an equality
 * between a path of the incoming event (`async.x.y`) and either a path of the
 * run's triggering event (`event.x.y`) or a literal. That equality lets a
 * pause be stored under a pre-computed key and found by index.
 */
export function extractMatchKey(expression: string | null | undefined): MatchKey | undefined {
  if (!expression) return undefined;
  let ast: ASTNode;
  try {
    ast = compile(expression).ast;
  } catch {
    return undefined;
  }
  const conjuncts: ASTNode[] = [];
  const collect = (node: ASTNode) => {
    if (node.op === "&&") for (const arg of node.args as ASTNode[]) collect(arg);
    else conjuncts.push(node);
  };
  collect(ast);
  for (const node of conjuncts) {
    if (node.op !== "==") continue;
    const [left, right] = node.args as [ASTNode, ASTNode];
    for (const [a, b] of [
      [left, right],
      [right, left],
    ] as const) {
      const asyncPath = memberPath(a, "async");
      if (!asyncPath) continue;
      const eventPath = memberPath(b, "event");
      if (eventPath) return { path: asyncPath, source: "event", eventPath };
      if (b.op === "value") {
        const literal = indexValue(b.args);
        if (literal !== undefined) return { path: asyncPath, source: "literal", value: literal };
      }
    }
  }
  return undefined;
}

/** "a.b.c" for an AST of `root.a.b.c` (plain field selections only). */
function memberPath(node: ASTNode, root: string): string | undefined {
  const parts: string[] = [];
  let current: ASTNode = node;
  while (current.op === ".") {
    const [target, field] = current.args as [ASTNode, unknown];
    if (typeof field !== "string") return undefined;
    parts.unshift(field);
    current = target;
  }
  if (current.op !== "id" || current.args !== root || parts.length === 0) return undefined;
  return parts.join(".");
}
