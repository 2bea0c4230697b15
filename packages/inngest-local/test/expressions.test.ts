// Expressions give Inngest's answers for present, missing, null and nested-missing
// fields (read from inngest/inngest pkg/expressions: unknown.go, data.go and
// expressions_test.go; see the header of src/expressions.ts). `undefined` in the
// table is an absent result (Inngest's unknown or error): no match.
import { describe, expect, it } from "vitest";
import { evaluate, evaluateKey, getPath, indexValue, matches, pauseIndexEntry } from "../src/expressions";

const event = {
  name: "shop/order.updated",
  data: { s: "abc", n: 8, f: 3.5, nul: null, parent: null, tags: ["a", "b"], obj: { inner: "v" }, t: true, empty: "" },
};
const vars = { event };

type Row = [expression: string, expected: unknown];

const show = (value: unknown) =>
  value === undefined ? "absent" : JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));

const table: Record<string, Record<"present" | "missing" | "null" | "nested missing", Row[]>> = {
  "!=": {
    present: [
      ["event.data.s != 'x'", true],
      ["event.data.s != 'abc'", false],
    ],
    missing: [
      ["event.data.missing != 'x'", true],
      ["'x' != event.data.missing", true],
      ["event.data.missing != null", false],
    ],
    null: [
      ["event.data.nul != 'x'", true],
      ["event.data.nul != null", false],
    ],
    "nested missing": [
      ["event.data.obj.missing.deeper != 'x'", true],
      ["event.data.parent.child != 'x'", true], // through a null parent
      ["event.data.s.child != 'x'", true], // through a string
      ["event.nope.child != null", false],
    ],
  },
  "==": {
    present: [
      ["event.data.s == 'abc'", true],
      ["event.data.n == 8", true],
      ["event.data.n == 8.0", true],
      ["event.data.s == 8", false],
    ],
    missing: [
      ["event.data.missing == 'x'", false],
      ["event.data.missing == null", true],
      ["event.data.missing == event.data.other", false],
    ],
    null: [
      ["event.data.nul == 'x'", false],
      ["event.data.nul == null", true],
      ["event.data.nul == event.data.missing", true],
    ],
    "nested missing": [
      ["event.data.obj.missing.deeper == 'x'", false],
      ["event.data.parent.child == null", true],
      ["async.data.id == 'x'", false], // no `async` at all
    ],
  },
  "< <= > >=": {
    present: [
      ["event.data.n < 10", true],
      ["event.data.f < 3", false],
      ["event.data.s >= 'abc'", true],
      ["event.data.s < 1", undefined], // no such overload
    ],
    missing: [
      ["event.data.missing < 5", true], // an absent left operand sorts first
      ["event.data.missing <= -100", true],
      ["5 < event.data.missing", false],
      ["event.data.missing > 5", false],
      ["event.data.missing >= -100", false],
      ["5 > event.data.missing", true],
      ["event.data.n > event.data.missing", true],
    ],
    null: [
      ["event.data.nul < 5", true], // null stands for 0 next to a number
      ["event.data.nul < -1", false],
      ["event.data.nul >= 0", true],
      ["event.data.f <= null", false],
      ["event.data.nul < 'a'", true], // and for "" next to a string
      ["event.data.nul < event.data.t", undefined], // a bool has no zero value here
      ["event.data.nul < null", undefined],
    ],
    "nested missing": [
      ["event.data.parent.child < 5", true],
      ["event.data.obj.missing.deeper > 5", false],
    ],
  },
  size: {
    present: [
      ["size(event.data.tags)", 2n],
      ["event.data.s.size()", 3n],
      ["size(event.data.obj) == 1", true],
    ],
    missing: [
      ["size(event.data.missing)", 0n],
      ["size(event.data.missing) == 0", true],
      ["event.data.missing.size() > 0", false],
    ],
    null: [
      ["size(event.data.nul)", undefined], // size(null) fails...
      ["size(event.data.nul) > 0", false], // ...and a failed operand is absent
      ["size(event.data.nul) == 0", false],
      ["size(event.data.nul) != 0", true],
    ],
    "nested missing": [["size(event.data.parent.items) == 0", true]],
  },
  "&& ||": {
    present: [
      ["event.data.n > 1 && event.data.s == 'abc'", true],
      ["event.data.n > 100 || event.data.t", true],
      ["event.data.s || event.data.n", "abc"], // non-booleans: the first truthy operand
      ["event.data.empty && event.data.s", ""], // the first falsy one
    ],
    missing: [
      ["false && event.data.missing", false],
      ["event.data.missing && false", undefined],
      ["true && event.data.missing", undefined],
      ["true || event.data.missing", true],
      ["event.data.missing || true", true],
      ["false || event.data.missing", undefined],
      ["event.data.missing || event.data.s", "abc"],
      ["event.data.missing == 'x' || event.data.n == 8", true],
      ["event.data.missing != 'x' && event.data.n == 8", true],
    ],
    null: [
      ["event.data.nul || 'fallback'", "fallback"],
      ["event.data.nul && true", null],
      ["event.data.nul == null && event.data.n == 8", true],
    ],
    "nested missing": [
      ["event.data.parent.child || event.data.s", "abc"],
      ["event.data.obj.missing.deeper == 'x' && true", false],
    ],
  },
  "other calls, ?:, +, macros": {
    present: [
      ["event.data.s.contains('b')", true],
      ["'a' in event.data.tags", true],
      ["event.data.tags.exists(x, x == 'b')", true],
      ["event.data.tags.map(x, x + '!')", ["a!", "b!"]],
      ["event.data.t ? 'yes' : 'no'", "yes"],
      ["has(event.data.s)", true],
    ],
    missing: [
      ["event.data.missing.contains('x')", false],
      ["!event.data.missing", false],
      ["!(event.data.missing == 'x')", true],
      ["event.data.missing in ['a'] == false", true],
      ["event.data.missing ? 'yes' : 'no'", "no"],
      ["event.data.s + '-' + event.data.missing", "abc-"],
      ["event.data.missing.exists(x, x == 'a')", undefined],
      ["event.data.tags.map(x, event.data.missing)", []],
      ["has(event.data.missing)", false],
      ["!has(event.data.missing)", true],
    ],
    null: [
      ["event.data.nul ? 'yes' : 'no'", "no"],
      ["event.data.nul.contains('x')", undefined], // present null: the call fails, not false
      ["event.data.nul.contains('x') == false", false],
    ],
    "nested missing": [
      ["event.data.parent.child.startsWith('a')", false],
      ["has(event.data.parent.child)", undefined], // has() on a null parent fails
    ],
  },
};

describe("expressions give Inngest's answers", () => {
  for (const [operator, cases] of Object.entries(table)) {
    describe(operator, () => {
      for (const [field, rows] of Object.entries(cases)) {
        const named = rows.map(([expression, expected]) => [expression, show(expected), expected] as const);
        it.each(named)(`${field}: %s → %s`, (expression, _label, expected) => {
          expect(evaluate(expression, vars)).toEqual(expected);
          expect(matches(expression, vars)).toBe(expected === true);
        });
      }
    });
  }

  it("keys: absent or null is no key, `||` falls back", () => {
    expect(evaluateKey("event.data.missing", vars)).toBeUndefined();
    expect(evaluateKey("event.data.nul", vars)).toBeUndefined();
    expect(evaluateKey("event.data.missing || event.data.s", vars)).toBe("abc");
    expect(evaluateKey("size(event.data.tags)", vars)).toBe("2");
  });

  it("a parse error is no match, and no key", () => {
    expect(matches("event.data.", vars)).toBe(false);
    expect(evaluateKey("event.data.", vars)).toBeUndefined();
  });
});

describe("the index agrees with the full evaluation", () => {
  // Each value at the match path, on the triggering event and on the incoming one.
  const values: Record<string, unknown> = {
    missing: undefined,
    null: null,
    "'k'": "k",
    "'k2'": "k2",
    "1": 1,
    "'1'": "1",
    true: true,
    "{a: 1}": { a: 1 },
  };
  const withKey = (name: string, value: unknown, extra: Record<string, unknown> = {}) => ({
    name,
    data: value === undefined ? { ...extra } : { key: value, ...extra },
  });
  const expressions = [
    "async.data.key == event.data.key",
    "event.data.key == async.data.key && async.data.status != 'rejected'",
    "async.data.key == 'k' && event.data.key != null",
  ];

  // A pause the full evaluation would resume is always found by the index; the
  // engine then confirms each candidate with the full evaluation.
  it.each(expressions)("%s", (expression) => {
    for (const [runName, runValue] of Object.entries(values)) {
      for (const [incomingName, incomingValue] of Object.entries(values)) {
        const runEvent = withKey("run", runValue);
        const incoming = withKey("incoming", incomingValue);
        const entry = pauseIndexEntry(expression, runEvent);
        const found = !entry || indexValue(getPath(incoming, entry.path)) === entry.value;
        const resumes = matches(expression, { event: runEvent, async: incoming });
        if (resumes) expect(found, `run ${runName}, incoming ${incomingName}`).toBe(true);
      }
    }
  });

  it("indexes a scalar, and leaves a missing, null or object value unindexed", () => {
    const expression = "async.data.key == event.data.key";
    expect(pauseIndexEntry(expression, withKey("run", "k"))).toEqual({ path: "data.key", value: '"k"' });
    expect(pauseIndexEntry(expression, withKey("run", undefined))).toBeUndefined();
    expect(pauseIndexEntry(expression, withKey("run", null))).toBeUndefined();
    expect(pauseIndexEntry(expression, withKey("run", { a: 1 }))).toBeUndefined();
    // null == missing is true in Inngest: that is why a null value is not indexed.
    expect(matches(expression, { event: withKey("run", null), async: withKey("incoming", undefined) })).toBe(true);
    expect(matches(expression, { event: withKey("run", undefined), async: withKey("incoming", undefined) })).toBe(false);
    expect(matches(expression, { event: withKey("run", { a: 1 }), async: withKey("incoming", { a: 1 }) })).toBe(true);
  });
});
