// The logs function: the journal by unit, priority, time and text, paged by cursor or followed live,
// and caretaker's own audit trail (CARETAKER_AUDIT=1) as a view of its own.
import * as v from "valibot";
import { defineFunction, route } from "../_shared/define.ts";
import { HttpError } from "../_shared/errors.ts";
import { toAuditRecord, toEntry } from "./entry.ts";
import { followEvents } from "./follow.ts";
import { journalSource, pageArgs } from "./journalctl.ts";
import { readPage } from "./page.ts";
import { AuditPageSchema, AuditQuerySchema, cursorPattern, FollowQuerySchema, JournalPageSchema, JournalQuerySchema, views, type FollowQuery, type View } from "./schema.ts";

/** EventSource sends the id of the last event it saw when it reconnects: continue right after it. */
function resumeCursor(request: Request, query: FollowQuery): string | undefined {
  const last = request.headers.get("last-event-id");
  if (last === null || last === "") return query.cursor;
  if (!cursorPattern.test(last)) throw new HttpError(422, "header Last-Event-ID: must be a cursor this API sent");
  return last;
}

export default defineFunction({
  name: "logs",
  summary: "The journal by unit, priority, time and text, paged by cursor or followed live, and caretaker's own audit trail",
  routes: [
    route({
      method: "GET",
      path: "/journal",
      summary: "One page of the journal, newest first; pass `next` as `after` for the page before it",
      query: JournalQuerySchema,
      response: JournalPageSchema,
      handle: ({ query, signal }) => {
        const { after, limit, ...filters } = query;
        return readPage(pageArgs(journalSource(), filters, { limit, after }), limit, toEntry, { signal });
      },
    }),
    route({
      method: "GET",
      path: "/audit",
      summary: "One page of caretaker's audit trail (every state-changing request: who, function, action, result), newest first",
      query: AuditQuerySchema,
      response: AuditPageSchema,
      handle: ({ query, signal }) => {
        const { after, limit, ...filters } = query;
        return readPage(pageArgs(journalSource(), { ...filters, audit: true }, { limit, after }), limit, toAuditRecord, { signal });
      },
    }),
    route({
      method: "GET",
      path: "/:view/follow",
      summary: "Follows `journal` or `audit` live: server-sent `entry` events (data: an entry or audit record, id: its cursor) for about 25 s, then the client reconnects",
      query: FollowQuerySchema,
      response: { stream: "text/event-stream" },
      handle: ({ params, query, request, signal }) => {
        const view = v.safeParse(v.picklist(views), params.view);
        if (!view.success) throw new HttpError(404, `no view "${params.view}": use journal or audit`);
        const { cursor: _cursor, ...filters } = query;
        const audit = (view.output as View) === "audit";
        const journal = { source: journalSource(), filters: { ...filters, audit }, cursor: resumeCursor(request, query) };
        return audit ? followEvents(journal, toAuditRecord, { signal }) : followEvents(journal, toEntry, { signal });
      },
    }),
  ],
});
