// The V8 flags Terrarium runs with: `npm start`, bin/terrarium.js's shebang and the
// bench's Terrarium target all pass them (node-flags.test.ts checks they agree).
// Node takes them only on its command line: set at run time they have no effect.
//
// --initial-old-space-size=64: V8 starts a small heap with a low old-generation
// limit, and streamed bodies (their queued chunks survive young collections) then
// set off a major collection every ~25 MB: ~40 per GiB moved through S3, up to 40%
// of the server's CPU on a download. With 64 MB to start, a 1 GiB SDK upload went
// from 283 to 342 MB/s and its download from 651 to 900 MB/s (bench, 3 runs each);
// idle RSS is unchanged (the space is reserved, not touched).
export const NODE_FLAGS: readonly string[] = ["--initial-old-space-size=64"];
