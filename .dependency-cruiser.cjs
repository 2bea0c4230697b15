// The layers of docs/architecture.md, checked on every `npm test`
// (`npm run check:deps`). Outer layers may import inner ones, never the
// reverse, so no two top-level folders can import each other:
//
//   app → components → lib
//   app → inngest → server → emails, lib
//   scripts, e2e → packages (stand-ins), never app code
//
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "A file must not reach itself through its imports (type-only imports included).",
      from: {},
      to: { circular: true },
    },
    {
      name: "lib-is-isomorphic",
      severity: "error",
      comment: "lib/ runs in the browser and on the server: no app code, no Node built-ins, no I/O.",
      from: { path: "^lib/" },
      to: {
        path: "^(app|components|server|inngest|emails|prisma|scripts|packages|e2e)/|^node:|^(fs|path|crypto|url|net|http|child_process)$",
        dependencyTypesNot: ["npm"],
      },
    },
    {
      name: "lib-no-node-builtins",
      severity: "error",
      from: { path: "^lib/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "components-never-import-server",
      severity: "error",
      comment: "Client components get server data as props or over the JSON API; shared types live in lib/.",
      from: { path: "^components/" },
      to: { path: "^(server|inngest|app|prisma)/" },
    },
    {
      name: "routes-never-touch-prisma",
      severity: "error",
      comment: "Route files and pages call one server function; only server/ talks to the database.",
      from: { path: "^app/" },
      to: { path: "^server/(db\\.ts|generated/)|^@prisma/|^pg$" },
    },
    {
      name: "server-below-app-and-workflows",
      severity: "error",
      comment: "server/ is the domain: it is called by routes, pages and workflows, and calls none of them.",
      from: { path: "^server/" },
      to: { path: "^(app|components|inngest)/" },
    },
    {
      name: "workflows-below-app",
      severity: "error",
      from: { path: "^inngest/" },
      to: { path: "^(app|components)/" },
    },
    {
      name: "emails-are-templates",
      severity: "error",
      comment: "Templates receive finished values; they never fetch or import domain code.",
      from: { path: "^emails/" },
      to: { path: "^(app|components|server|inngest|prisma)/" },
    },
    {
      name: "packages-are-self-contained",
      severity: "error",
      comment: "The stand-ins (local Inngest engine, mail catcher) import nothing from the app or its scripts.",
      from: { path: "^packages/([^/]+)/" },
      to: { path: "^(?!packages/$1/)[^/]+/", dependencyTypesNot: ["npm", "npm-dev", "npm-optional", "npm-peer", "core"] },
    },
    {
      name: "tests-and-tools-outside-the-app",
      severity: "error",
      comment: "e2e talks to the app over HTTP; scripts orchestrate it. Neither imports its code (scripts may render emails and seed).",
      // scripts/bench/ is the exception: a benchmark runs the app's own server
      // functions and workflows in process (as the integration tests do).
      from: { path: "^(e2e|scripts)/", pathNot: "^scripts/bench/" },
      // lib/committed-secrets.ts: the e2e stack's secrets are the same list the
      // environment check refuses outside local and e2e (one list, no copy).
      to: { path: "^(app|components|server|inngest|lib)/", pathNot: "^lib/committed-secrets\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(server/generated|\\.next|node_modules|\\.data|\\.tmp)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
