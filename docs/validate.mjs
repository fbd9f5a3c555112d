// Validates docs/openapi.yaml against the OpenAPI schema and resolves every $ref; exits non-zero on a problem.
// Usage: node docs/validate.mjs [FILE]   (run `npm ci --prefix docs` first)
import SwaggerParser from "@apidevtools/swagger-parser";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const file = process.argv[2] ?? path.join(here, "openapi.yaml");

try {
  const api = await SwaggerParser.validate(file);
  const operations = Object.values(api.paths).reduce(
    (n, item) => n + Object.keys(item).filter((k) => ["get", "put", "post", "delete", "patch", "head", "options"].includes(k)).length,
    0,
  );
  console.log(`${path.relative(process.cwd(), file)}: valid OpenAPI ${api.openapi}, ${Object.keys(api.paths).length} paths, ${operations} operations`);
} catch (err) {
  console.error(`${file}: ${err.message}`);
  process.exit(1);
}
