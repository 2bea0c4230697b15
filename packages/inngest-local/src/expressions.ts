// Inngest expressions are CEL, evaluated with Inngest's rules for absent data.
//
// What Inngest answers was read (not run) from its source (inngest/inngest `pkg/expressions`:
// expressions.go, data.go, unknown.go, exprenv/overloads.go and expressions_test.go;
// the null lookup in inngest/expr engine_null.go treats "not present" the same way).
// There, a field path missing from the data (also through a null or non-object
// parent) is a CEL "unknown", and an operand that errors (size(null), a select on a
// string) is handled like one. Every call and operator that gets one answers fixed:
//   a == b   true only when the other operand is null (`missing == null`)
//   a != b   false only when the other operand is null, else true
//   < <=     true when the LEFT operand is absent, else false (absent sorts first:
//            `missing < 5` is true, `5 < missing` false)
//   > >=     false when the LEFT operand is absent, else true
//   size()   0;   a + b   the other operand
//   anything else (!, -, in, contains, startsWith, int(), ...)   false
// A present null next to a value of another type: == is false, != is true, and
// < <= > >= compare the zero value of the other type (0, 0.0, "") in its place.
// `&&`, `||` and the `?:` condition use JavaScript-like truthiness when an operand
// is not a boolean (absent, null, false, "", 0 are falsy): `a || b` is a when truthy,
// else b; `a && b` is a when falsy, else b. So `false && absent` is false and
// `true || absent` true, as in CEL. A result that is absent or not `true` is no match.
// Macros (all, exists, exists_one, map, filter) fold like cel-go's expansions of them.
//
// cel-js parses and provides every operator and function on present values; the walk
// below only decides what absent and null operands get, so that a sub-result that
// cel-js would throw on (a missing key) stays a value the operators above can answer.
import { parse, type ASTNode, type ParseResult } from "@marcbachmann/cel-js";
import { UnsignedInt } from "@marcbachmann/cel-js/evaluator";

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

// Inngest's two kinds of absent operand: a field not in the data (unknown) and a
// failed sub-expression (error). They differ only in `+`, which skips an unknown.
const MISSING: unique symbol = Symbol("missing");
const FAILED: unique symbol = Symbol("failed");
type Absent = typeof MISSING | typeof FAILED;
type Scope = { vars: Record<string, unknown>; locals?: Map<string, unknown> };

const isAbsent = (value: unknown): value is Absent => value === MISSING || value === FAILED;

/**
 * The value of the expression, or `undefined` when it is absent (it reads a missing
 * field, or fails). Throws only when the expression does not parse.
 */
export function evaluate(expression: string, vars: Record<string, unknown>): unknown {
  const value = walk(compile(expression).ast, { vars });
  return isAbsent(value) ? undefined : value;
}

function walk(node: ASTNode, scope: Scope): unknown {
  switch (node.op) {
    case "value":
      return node.args;
    case "id":
      return lookup(node.args, scope);
    case ".":
      return select(walk(node.args[0], scope), node.args[1]);
    case "[]": {
      const target = walk(node.args[0], scope);
      const key = walk(node.args[1], scope);
      if (isAbsent(target)) return target;
      if (isAbsent(key)) return key;
      if (typeof key === "string" && (isRecord(target) || target instanceof Map)) return select(target, key);
      return native("a0[a1]", [target, key]);
    }
    case "list": {
      const items = node.args.map((item) => walk(item, scope));
      return items.find(isAbsent) ?? items;
    }
    case "map": {
      const parts = node.args.flatMap(([key, value]) => [walk(key, scope), walk(value, scope)]);
      const absent = parts.find(isAbsent);
      if (absent) return absent;
      return native(`{${node.args.map((_, i) => `a${2 * i}: a${2 * i + 1}`).join(", ")}}`, parts);
    }
    case "?:":
      return truthy(walk(node.args[0], scope)) ? walk(node.args[1], scope) : walk(node.args[2], scope);
    case "||": {
      const left = walk(node.args[0], scope);
      return truthy(left) ? left : walk(node.args[1], scope);
    }
    case "&&": {
      const left = walk(node.args[0], scope);
      return truthy(left) ? walk(node.args[1], scope) : left;
    }
    case "!_":
      return call("!_", [walk(node.args, scope)], "!a0");
    case "-_":
      return call("-_", [walk(node.args, scope)], "-a0");
    case "call": {
      const [name, args] = node.args;
      if (name === "has" && args.length === 1 && args[0]?.op === ".") return has(args[0].args, scope);
      return call(
        name,
        args.map((arg) => walk(arg, scope)),
        `${name}(${params(args.length)})`,
      );
    }
    case "rcall": {
      const [name, receiver, args] = node.args;
      const variable = args[0];
      if (MACROS.has(name) && variable?.op === "id" && args.length >= 2) return macro(name, receiver, variable.args, args.slice(1), scope);
      const values = [walk(receiver, scope), ...args.map((arg) => walk(arg, scope))];
      return call(name, values, `a0.${name}(${params(args.length, 1)})`);
    }
    case ".?":
    case "[?]":
      return FAILED; // optional syntax is not enabled in the parser, and Inngest has none
    default:
      return call(node.op, [walk(node.args[0], scope), walk(node.args[1], scope)], `a0 ${node.op} a1`);
  }
}

function params(count: number, from = 0): string {
  return Array.from({ length: count }, (_, i) => `a${i + from}`).join(", ");
}

/** Runs one operator or function on present values with cel-js; a throw is a failed operand. */
function native(template: string, args: unknown[]): unknown {
  const context: Record<string, unknown> = {};
  args.forEach((arg, i) => (context[`a${i}`] = arg));
  try {
    return compile(template)(context);
  } catch {
    return FAILED;
  }
}

function lookup(name: string, scope: Scope): unknown {
  if (scope.locals?.has(name)) return scope.locals.get(name);
  if (Object.hasOwn(scope.vars, name)) return scope.vars[name] === undefined ? MISSING : scope.vars[name];
  const builtin = native(name, []); // type names such as `string` in `type(x) == string`
  return builtin === FAILED ? MISSING : builtin;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A field of an object; anything else (a missing key, a null or scalar parent) is missing, as in Inngest's data lookup. */
function select(target: unknown, field: string): unknown {
  if (isAbsent(target)) return target;
  let value: unknown;
  if (isRecord(target)) value = Object.hasOwn(target, field) ? target[field] : undefined;
  else if (target instanceof Map) value = target.get(field);
  return value === undefined ? MISSING : value;
}

function has([target, field]: [ASTNode, string], scope: Scope): unknown {
  const value = walk(target, scope);
  if (isAbsent(value)) return value;
  if (isRecord(value)) return Object.hasOwn(value, field) && value[field] !== undefined;
  if (value instanceof Map) return value.has(field);
  return FAILED;
}

/** Inngest's truthiness for `&&`, `||` and `?:` operands that are not booleans. */
function truthy(value: unknown): boolean {
  if (isAbsent(value) || value === null) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "string") return value !== "";
  if (typeof value === "bigint") return value !== 0n;
  if (typeof value === "number") return value !== 0;
  if (value instanceof UnsignedInt) return value.valueOf() !== 0n;
  return true;
}

const RELATIONAL = new Set(["<", "<=", ">", ">="]);

function call(fn: string, args: unknown[], template: string): unknown {
  if (args.some(isAbsent)) return absentCall(fn, args);
  const nulls = args.filter((arg) => arg === null).length;
  if ((fn === "==" || fn === "!=") && nulls === 1) return fn === "!=";
  const result = native(template, args);
  if (result !== FAILED || !RELATIONAL.has(fn) || nulls !== 1) return result;
  // A null compared with a number or string stands for that type's zero value.
  const other = args[0] === null ? args[1] : args[0];
  const zero = zeroOf(other);
  if (zero === FAILED) return FAILED;
  return native(template, args[0] === null ? [zero, other] : [other, zero]);
}

function zeroOf(value: unknown): unknown {
  if (typeof value === "bigint") return 0n;
  if (typeof value === "number") return 0;
  if (typeof value === "string") return "";
  if (value instanceof UnsignedInt) return new UnsignedInt(0);
  return FAILED;
}

/** Inngest's fixed answers for an operator or function given an absent operand. */
function absentCall(fn: string, args: unknown[]): unknown {
  const withNull = args.includes(null);
  switch (fn) {
    case "==":
      return withNull;
    case "!=":
      return !withNull;
    case "<":
    case "<=":
      return isAbsent(args[0]);
    case ">":
    case ">=":
      return !isAbsent(args[0]);
    case "+":
      return args.slice(0, 2).find((arg) => arg !== MISSING) ?? false;
    case "size":
      return 0n;
    default:
      return false;
  }
}

const MACROS = new Set(["all", "exists", "exists_one", "map", "filter"]);

/**
 * The comprehension macros, folded as cel-go expands them: `all` and `exists` stop
 * once the answer is settled (or absent), `map` drops absent elements.
 */
function macro(name: string, receiver: ASTNode, variable: string, body: ASTNode[], scope: Scope): unknown {
  const range = walk(receiver, scope);
  if (isAbsent(range)) return range;
  let items: unknown[];
  if (Array.isArray(range)) items = range;
  else if (isRecord(range)) items = Object.keys(range);
  else if (range instanceof Map) items = [...range.keys()];
  else return FAILED;
  const locals = new Map(scope.locals);
  const inner: Scope = { vars: scope.vars, locals };
  const at = (item: unknown, node: ASTNode | undefined) => {
    locals.set(variable, item);
    return node ? walk(node, inner) : FAILED;
  };
  switch (name) {
    case "all": {
      let acc: unknown = true;
      for (const item of items) {
        if (acc === false || isAbsent(acc)) break;
        acc = truthy(acc) ? at(item, body[0]) : acc;
      }
      return acc;
    }
    case "exists": {
      let acc: unknown = false;
      for (const item of items) {
        if (acc !== false) break;
        acc = at(item, body[0]);
      }
      return acc;
    }
    case "exists_one":
      return items.filter((item) => truthy(at(item, body[0]))).length === 1;
    case "filter":
      return items.filter((item) => truthy(at(item, body[0])));
    default: {
      // map(x, t) or map(x, p, t)
      const out: unknown[] = [];
      for (const item of items) {
        if (body.length > 1 && !truthy(at(item, body[0]))) continue;
        const value = at(item, body[body.length - 1]);
        if (!isAbsent(value)) out.push(value);
      }
      return out;
    }
  }
}

/** True when there is no expression, or it evaluates to `true`; anything else (absent, not a boolean, unparsable) is no match. */
export function matches(expression: string | null | undefined, vars: Record<string, unknown>): boolean {
  if (!expression || expression.trim() === "") return true;
  try {
    return evaluate(expression, vars) === true;
  } catch {
    return false;
  }
}

/** The string value of a key expression (idempotency, concurrency key), or undefined when absent or null. */
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

/**
 * Where a pause is indexed: its match path and the triggering event's value there.
 * Only a scalar is indexed. A missing, null or object value can still be equal
 * (`null == missing` is true in Inngest, objects compare deeply), so such a pause
 * stays unindexed and is evaluated against every event of its name. An incoming
 * event without a scalar at the path is rightly no candidate for an indexed pause:
 * a scalar never equals a missing, null or object value.
 */
export function pauseIndexEntry(expression: string | null | undefined, runEvent: unknown): { path: string; value: string } | undefined {
  const key = extractMatchKey(expression);
  if (!key) return undefined;
  const value = key.source === "literal" ? key.value : indexValue(getPath(runEvent, key.eventPath));
  return value === undefined ? undefined : { path: key.path, value };
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
