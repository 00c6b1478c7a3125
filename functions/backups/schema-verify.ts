// The schemas of archive browsing (the list job's paged index) and of verified restores (the verify job's verdict).
import * as v from "valibot";

const described = <S extends v.GenericSchema>(schema: S, text: string) => v.pipe(schema, v.description(text));

export const ArchiveNameSchema = described(
  v.pipe(v.string(), v.regex(/^[A-Za-z0-9._:+-]{1,200}$/, "must be an archive name")),
  "an archive of the repository, e.g. 20250304_050607-files",
);

export const ContentEntrySchema = v.strictObject({
  name: described(v.string(), "the entry's name in its directory"),
  path: described(v.string(), "the archive path (no leading /), as the restore route takes it"),
  type: v.picklist(["file", "directory", "link", "other"]),
  size: v.number(),
  mtime: v.string(),
});

export const ContentsQuerySchema = v.strictObject({
  path: described(
    v.optional(v.pipe(v.string(), v.maxLength(1024), v.regex(/^([^/\0\n]+(\/[^/\0\n]+)*)?$/, "must be an archive path without leading or trailing /"), v.check((path) => !path.split("/").includes(".."), "must not contain .."))),
    "the directory to show (archive path, no leading /); empty: the archive's top",
  ),
  cursor: described(v.optional(v.pipe(v.string(), v.regex(/^\d{1,7}$/, "must be the nextCursor of a previous page"))), "nextCursor of the previous page"),
  limit: described(v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1), v.maxValue(500))), "entries per page (1-500, default 100)"),
});

export const ContentsPageSchema = v.strictObject({
  state: v.literal("listed"),
  archive: v.string(),
  path: v.string(),
  entries: v.array(ContentEntrySchema),
  total: described(v.number(), "entries of this directory in the archive"),
  kept: described(v.number(), "entries of this directory kept in the index (at most the per-directory bound)"),
  truncated: described(v.boolean(), "true when the directory has more entries than the index keeps: restore the directory to get all of them"),
  nextCursor: described(v.nullable(v.string()), "pass as cursor for the next page; null on the last page"),
  listedAt: v.string(),
});

export const ContentsPendingSchema = described(
  v.strictObject({ state: v.literal("listing"), archive: v.string(), unit: v.string(), message: v.string() }),
  "answered with status 202 while the list job reads the archive: ask again in a moment",
);

export const MismatchSchema = v.strictObject({
  path: v.string(),
  reason: described(v.string(), "checksum differs, size differs or not restored"),
});

export const VerificationSchema = v.strictObject({
  archive: v.nullable(v.string()),
  checkedAt: v.string(),
  ok: v.boolean(),
  files: described(v.number(), "files restored and compared"),
  bytes: described(v.number(), "bytes restored and compared"),
  candidates: described(v.number(), "regular files in the archive the sample was drawn from"),
  mismatches: v.array(MismatchSchema),
  durationSeconds: v.number(),
  message: v.string(),
});

export type ContentEntry = v.InferOutput<typeof ContentEntrySchema>;
export type ContentsPage = v.InferOutput<typeof ContentsPageSchema>;
export type Verification = v.InferOutput<typeof VerificationSchema>;
