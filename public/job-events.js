// Follows a job's server-sent events (GET api/<fn>/jobs/<job>/events): one status per change, then "end".
// The one place besides api.js that opens a connection to the API; EventSource reconnects by itself.

/**
 * @param {string} path e.g. "disks/jobs/scan/events"
 * @param {(status: object) => void} onStatus called with each status the job reports
 * @returns {() => void} stops following
 */
export function followJob(path, onStatus) {
  const source = new EventSource(`./api/${path.replace(/^\/+/, "")}`);
  source.addEventListener("status", (event) => onStatus(JSON.parse(event.data)));
  source.addEventListener("end", () => source.close());
  return () => source.close();
}

/**
 * Follows a stream of named server-sent events (e.g. "logs/journal/follow?unit=caddy"); a `failure`
 * event ends it. EventSource resumes after the last event id by itself when the server ends a stream.
 * @param {string} path below ./api/
 * @param {Record<string, (data: object) => void>} handlers by event name
 * @returns {() => void} stops following
 */
export function followEvents(path, handlers) {
  const source = new EventSource(`./api/${path.replace(/^\/+/, "")}`);
  for (const [name, handler] of Object.entries(handlers)) source.addEventListener(name, (event) => handler(JSON.parse(event.data)));
  source.addEventListener("failure", () => source.close());
  return () => source.close();
}
