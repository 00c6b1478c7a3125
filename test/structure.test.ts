// Every function ships as a set: handler, unit, socket, Caddy route, page and API description.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, test } from "vitest";
import { functionNames, root } from "../functions/_build/build.mjs";

const read = (path: string) => readFileSync(join(root, path), "utf8");
const names: string[] = functionNames();
const openapi = JSON.parse(read("build/public/openapi.json"));

test("there is at least the system function", () => {
  expect(names).toContain("system");
});

describe.each(names)("function %s", (name) => {
  test("has its service unit and socket unit", () => {
    expect(existsSync(join(root, `units/caretaker-${name}@.service`)), `units/caretaker-${name}@.service`).toBe(true);
    expect(existsSync(join(root, `socket-units/caretaker-${name}.socket`)), `socket-units/caretaker-${name}.socket`).toBe(true);
  });

  test("has its Caddy route", () => {
    expect(read("caddy/caretaker.caddy")).toMatch(new RegExp(`^\\s*import function ${name}\\s+# /api/${name}/\\*$`, "m"));
  });

  test("has its page, registered in the app shell", () => {
    expect(existsSync(join(root, `public/pages/${name}.js`)), `public/pages/${name}.js`).toBe(true);
    expect(read("public/app.js")).toContain(`./pages/${name}.js`);
  });

  test("is described in openapi.json", () => {
    const paths = Object.keys(openapi.paths).filter((path) => path.startsWith(`/api/${name}/`));
    expect(paths.length, `no /api/${name}/ path in openapi.json`).toBeGreaterThan(0);
    expect(openapi.tags.map((tag: { name: string }) => tag.name)).toContain(name);
  });
});

test("openapi.json is valid OpenAPI 3.1 (independent validator)", async () => {
  const validator = new Validator();
  const result = await validator.validate(openapi);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
  expect(validator.version).toBe("3.1");
});

test("the page's import map is the one script the CSP allows", () => {
  const html = read("public/index.html");
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html);
  expect(importMap, "public/index.html has no inline import map").not.toBeNull();
  const hash = createHash("sha256").update(importMap![1]).digest("base64");
  expect(read("caddy/caretaker.caddy")).toContain(`'sha256-${hash}'`);
  expect(html.match(/<script(?![^>]*\bsrc=)(?![^>]*type="importmap")[^>]*>/g) ?? []).toEqual([]);
});

test("the page vendors Preact and htm from node_modules, never from a CDN", () => {
  const html = read("public/index.html");
  expect(html).not.toMatch(/https?:\/\//);
  for (const file of ["preact.mjs", "preact-hooks.mjs", "htm.mjs"]) {
    expect(existsSync(join(root, "build/public/vendor", file)), file).toBe(true);
  }
});
