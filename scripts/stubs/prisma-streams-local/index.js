// See package.json: @prisma/dev imports the real package lazily, for the
// Streams feature of `prisma dev` only. This project runs Node 20 and never
// calls `prisma dev`; if something does, say why it cannot work here.
throw new Error(
  "@prisma/streams-local is replaced by a placeholder in this project (it needs Node.js 22+): `prisma dev` Streams are unavailable. See the overrides in package.json.",
);
