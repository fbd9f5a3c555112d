"""docs/openapi.yaml against the code, the running server and the fixed API contract.

Checks that every route the server registers (server/**/*.cpp, `routes.add` and `add_stream`) is
documented with its method and that every documented operation is routed; that the contract's paths,
methods, statuses, media types and field names are documented; that the error responses, security
and path parameters are consistent; that the real server's answers to a walk through every endpoint
have documented statuses, media types and JSON shapes; and, when docs/node_modules is installed,
that a real OpenAPI validator (docs/validate.mjs, @apidevtools/swagger-parser) accepts the document.
Needs Debian's python3-yaml; reads nothing outside the repository.
"""

import glob
import os
import re
import shutil
import subprocess
import unittest

import yaml

from tests.http import support

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SPEC_PATH = os.path.join(ROOT, "docs", "openapi.yaml")
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# The contract's endpoints: (method, path with {} for parameters, statuses it names).
CONTRACT_OPERATIONS = [
    ("post", "/api/v1/auth/login", {200, 401}),
    ("post", "/api/v1/auth/logout", {204}),
    ("get", "/api/v1/auth/me", {200}),
    ("post", "/api/v1/events", {201}),
    ("get", "/api/v1/events/{}", {200}),
    ("get", "/api/v1/events", {200}),
    ("patch", "/api/v1/events/{}", {200, 409}),
    ("post", "/api/v1/events/{}/publish", {200}),
    ("post", "/api/v1/events/{}/cancel", {200}),
    ("post", "/api/v1/events/{}/registrations", {201, 400, 409}),
    ("get", "/api/v1/registrations/{}", {200}),
    ("post", "/api/v1/registrations/{}/cancel", {200}),
    ("post", "/api/v1/registrations/{}/switch", {200, 409}),
    ("get", "/api/v1/registrations/{}/ticket.svg", {200}),
    ("get", "/api/v1/registrations/{}/ticket.png", {200}),
    ("get", "/api/v1/registrations/{}/calendar.ics", {200}),
    ("get", "/api/v1/events/{}/registrations", {200}),
    ("get", "/api/v1/events/{}/registrations.csv", {200}),
    ("post", "/api/v1/events/{}/checkin-links", {201}),
    ("post", "/api/v1/checkin", {200, 404, 409}),
    ("delete", "/api/v1/checkin/{}", {200}),
    ("get", "/api/v1/events/{}/checkin/search", {200}),
    ("post", "/api/v1/checkin/batch", {200}),
    ("post", "/api/v1/integrations/zoom/webhook", {200}),
    ("get", "/api/v1/outbox", {200}),
    ("post", "/api/v1/outbox/{}/retry", {200}),
    ("get", "/api/v1/registrations/{}/data", {200}),
    ("delete", "/api/v1/registrations/{}", {204}),
    ("get", "/api/v1/events/{}/report", {200}),
    ("get", "/healthz", {200}),
    ("get", "/metrics", {200}),
]

# Endpoints the contract reserves to organizers (401 without credentials, 403 lacking the right).
CONTRACT_ORGANIZER = [
    ("post", "/api/v1/auth/logout"), ("get", "/api/v1/auth/me"), ("post", "/api/v1/events"), ("patch", "/api/v1/events/{}"),
    ("post", "/api/v1/events/{}/publish"), ("post", "/api/v1/events/{}/cancel"), ("get", "/api/v1/events/{}/registrations"),
    ("get", "/api/v1/events/{}/registrations.csv"), ("post", "/api/v1/events/{}/checkin-links"), ("get", "/api/v1/outbox"),
    ("post", "/api/v1/outbox/{}/retry"), ("get", "/api/v1/events/{}/report"),
]
# Endpoints that take a check-in link token.
CONTRACT_CHECKIN = [
    ("post", "/api/v1/checkin"), ("delete", "/api/v1/checkin/{}"), ("get", "/api/v1/events/{}/checkin/search"),
    ("post", "/api/v1/checkin/batch"),
]

# Media types the contract names for non-JSON answers.
CONTRACT_MEDIA = [
    ("get", "/api/v1/registrations/{}/ticket.svg", "200", "image/svg+xml"),
    ("get", "/api/v1/registrations/{}/ticket.png", "200", "image/png"),
    ("get", "/api/v1/registrations/{}/calendar.ics", "200", "text/calendar"),
    ("get", "/api/v1/events/{}/registrations.csv", "200", "text/csv"),
    ("get", "/metrics", "200", "text/plain"),
]

# Error codes and their statuses.
CONTRACT_ERRORS = {"validation": 400, "unauthenticated": 401, "forbidden": 403, "not_found": 404, "method_not_allowed": 405,
                   "conflict": 409, "full": 409, "already_registered": 409, "payload_too_large": 413,
                   "unsupported_media_type": 415, "rate_limited": 429, "internal": 500}

# Field names the contract fixes: (method, path, "request" or status, dotted field paths; [] steps into arrays).
CONTRACT_FIELDS = [
    ("post", "/api/v1/auth/login", "request", ["email", "password"]),
    ("post", "/api/v1/auth/login", "200", ["token", "csrf_token", "user.id", "user.email", "user.name", "user.role"]),
    ("get", "/api/v1/auth/me", "200", ["id", "email", "name", "role"]),
    ("post", "/api/v1/events", "request", [
        "title.en", "title.fr", "summary.en", "description.fr", "slug", "format", "timezone", "starts_at", "ends_at",
        "venue.name", "venue.address", "venue.city", "venue.province", "venue.postal_code", "capacity.in_person", "capacity.online",
        "registration.opens_at", "registration.closes_at", "registration.waitlist", "languages",
        "questions[].id", "questions[].label.en", "questions[].type", "questions[].options[].id", "questions[].options[].label",
        "questions[].required", "sessions[].title", "sessions[].starts_at", "sessions[].ends_at", "sessions[].room", "sessions[].speakers",
        "speakers[].id", "speakers[].name", "speakers[].bio", "speakers[].affiliation", "partners[].name", "partners[].role",
        "partners[].url", "online.provider", "online.join_url", "online.passcode"]),
    ("patch", "/api/v1/events/{}", "request", ["recording_url", "capacity.in_person", "title.en"]),
    ("post", "/api/v1/events", "201", ["id", "status", "seats.in_person.capacity", "seats.online.remaining"]),
    ("get", "/api/v1/events/{}", "200", [
        "id", "slug", "title.en", "status", "format", "timezone", "starts_at", "ends_at", "venue.name", "capacity.online",
        "questions[].id", "sessions[].title", "speakers[].name", "partners[].role", "online.provider",
        "seats.in_person.capacity", "seats.in_person.taken", "seats.in_person.remaining", "seats.in_person.waitlisted",
        "seats.online.capacity", "seats.online.taken", "seats.online.remaining", "seats.online.waitlisted"]),
    ("get", "/api/v1/events", "200", ["events[].id", "events[].seats.online.remaining"]),
    ("post", "/api/v1/events/{}/registrations", "request", ["name", "email", "mode", "language", "answers", "waitlist", "consent"]),
    ("post", "/api/v1/events/{}/registrations", "201", ["id", "status", "mode", "ticket_code", "manage_token", "waitlist_position"]),
    ("post", "/api/v1/events/{}/registrations", "409", ["error.code", "error.message", "alternatives"]),
    ("post", "/api/v1/events/{}/registrations", "400", ["error.code", "error.message", "error.fields"]),
    ("get", "/api/v1/registrations/{}", "200", [
        "id", "status", "mode", "name", "email", "language", "answers", "ticket_code", "waitlist_position", "event.id",
        "event.seats.online.remaining", "join_url", "passcode"]),
    ("post", "/api/v1/registrations/{}/cancel", "200", ["status"]),
    ("post", "/api/v1/registrations/{}/switch", "request", ["mode"]),
    ("get", "/api/v1/events/{}/registrations", "200", ["registrations[].id", "registrations[].status", "registrations[].mode"]),
    ("post", "/api/v1/events/{}/checkin-links", "request", ["label", "expires_at"]),
    ("post", "/api/v1/events/{}/checkin-links", "201", ["token", "url"]),
    ("post", "/api/v1/checkin", "request", ["ticket_code"]),
    ("post", "/api/v1/checkin", "200", ["result", "registration.name", "registration.mode", "checked_in_at"]),
    ("post", "/api/v1/checkin/batch", "request", ["scans[].ticket_code", "scans[].scanned_at", "scans[].device_id"]),
    ("post", "/api/v1/checkin/batch", "200", ["results[].result"]),
    ("get", "/api/v1/events/{}/checkin/search", "200", ["matches[].name", "matches[].mode", "matches[].status", "matches[].ticket_code"]),
    ("get", "/api/v1/outbox", "200", [
        "messages[].id", "messages[].kind", "messages[].recipient", "messages[].status", "messages[].attempts", "messages[].last_error",
        "messages[].next_attempt_at"]),
    ("get", "/api/v1/events/{}/report", "200", [
        "in_person.registered", "in_person.waitlisted", "in_person.cancelled", "in_person.attended",
        "online.registered", "online.waitlisted", "online.cancelled", "online.attended"]),
]

# Enumerations the contract fixes: (method, path, "request" or status, field, values).
CONTRACT_ENUMS = [
    ("post", "/api/v1/events", "request", "format", {"in_person", "online", "hybrid"}),
    ("post", "/api/v1/events", "request", "questions[].type", {"text", "choice", "multi", "boolean"}),
    ("post", "/api/v1/events", "request", "partners[].role", {"host", "partner", "collaborator", "sponsor"}),
    ("post", "/api/v1/events", "request", "online.provider", {"zoom", "manual", "none"}),
    ("post", "/api/v1/events", "request", "languages[]", {"en", "fr"}),
    ("get", "/api/v1/events/{}", "200", "status", {"draft", "published", "cancelled"}),
    ("post", "/api/v1/events/{}/registrations", "request", "mode", {"in_person", "online"}),
    ("post", "/api/v1/events/{}/registrations", "request", "language", {"en", "fr"}),
    ("post", "/api/v1/events/{}/registrations", "201", "status", {"confirmed", "waitlisted"}),
    ("post", "/api/v1/registrations/{}/cancel", "200", "status", {"cancelled"}),
    ("post", "/api/v1/checkin", "200", "result", {"checked_in", "already_checked_in"}),
]
# Enumerations the contract names in part (the server adds values): documented values must include these.
CONTRACT_ENUMS_AT_LEAST = [
    ("get", "/api/v1/outbox", "200", "messages[].status", {"pending", "sent", "failed"}),
    ("get", "/api/v1/outbox", "parameter", "status", {"pending", "sent", "failed"}),
]


def normalize(path):
    """A path with every parameter written {} (names are not part of the contract)."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def code_routes():
    """(method, normalized path) of every route the server registers."""
    found = set()
    pattern = re.compile(r"routes\.add(?:_stream)?\(\s*http::verb::(\w+)\s*,\s*\"([^\"]+)\"")
    for source in glob.glob(os.path.join(ROOT, "server", "**", "*.cpp"), recursive=True):
        with open(source, encoding="utf-8") as f:
            for verb, path in pattern.findall(f.read()):
                found.add((verb.rstrip("_"), normalize(path)))
    return found


class OpenApiDocument(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(SPEC_PATH, encoding="utf-8") as f:
            cls.spec = yaml.safe_load(f)
        cls.operations = {}
        for path, item in cls.spec["paths"].items():
            for method, op in item.items():
                if method in METHODS:
                    cls.operations[(method, normalize(path))] = (path, item, op)

    # Helpers.

    def resolve(self, node):
        seen = 0
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            self.assertTrue(ref.startswith("#/"), "only local references: " + ref)
            target = self.spec
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                self.assertIn(part, target, "unresolved reference " + ref)
                target = target[part]
            node = target
            seen += 1
            self.assertLess(seen, 20, "reference loop at " + ref)
        return node

    def operation(self, method, path):
        key = (method, normalize(path))
        self.assertIn(key, self.operations, "%s %s is not documented" % (method.upper(), path))
        return self.operations[key][2]

    def json_schema_of(self, method, path, where):
        op = self.operation(method, path)
        if where == "request":
            body = self.resolve(op.get("requestBody", {}))
            content = body.get("content", {})
        else:
            response = self.resolve(op["responses"].get(where, {}))
            content = response.get("content", {})
        self.assertIn("application/json", content, "%s %s %s has no JSON body" % (method.upper(), path, where))
        return content["application/json"]["schema"]

    def properties(self, schema):
        """Every property a value of this schema may have (through allOf, oneOf, anyOf), resolved."""
        schema = self.resolve(schema)
        props = dict(schema.get("properties", {}))
        for key in ("allOf", "oneOf", "anyOf"):
            for part in schema.get(key, []):
                props.update(self.properties(part))
        return props

    def items_of(self, schema):
        schema = self.resolve(schema)
        if "items" in schema:
            return schema["items"]
        for key in ("allOf", "oneOf", "anyOf"):
            for part in schema.get(key, []):
                part = self.resolve(part)
                if "items" in part:
                    return part["items"]
        self.fail("not an array schema: %r" % schema)

    def field(self, schema, dotted):
        node = schema
        for step in dotted.split("."):
            into_array = step.endswith("[]")
            name = step[:-2] if into_array else step
            if name:
                props = self.properties(node)
                self.assertIn(name, props, "no field %r (in %r)" % (name, dotted))
                node = props[name]
            if into_array:
                node = self.items_of(node)
        return self.resolve(node)

    def enum_of(self, schema):
        schema = self.resolve(schema)
        values = set(schema.get("enum", []))
        if "const" in schema:
            values.add(schema["const"])
        for key in ("allOf", "oneOf", "anyOf"):
            for part in schema.get(key, []):
                values |= self.enum_of(part)
        return values

    def walk(self, node, where="#"):
        if isinstance(node, dict):
            for k, v in node.items():
                yield where, k, v
                yield from self.walk(v, where + "/" + str(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from self.walk(v, where + "/" + str(i))

    # The document itself.

    def test_is_an_openapi_3_document(self):
        self.assertRegex(str(self.spec.get("openapi")), r"^3\.(0\.\d+|1\.\d+)$")
        self.assertIn("title", self.spec["info"])
        self.assertIn("version", self.spec["info"])

    def test_every_reference_resolves(self):
        for where, key, value in self.walk(self.spec):
            if key == "$ref":
                with self.subTest(at=where):
                    self.resolve({"$ref": value})

    def test_operation_ids_are_unique(self):
        ids = [op.get("operationId") for _, _, op in self.operations.values()]
        self.assertNotIn(None, ids)
        self.assertEqual(len(ids), len(set(ids)), [i for i in ids if ids.count(i) > 1])

    def test_path_parameters_match_the_path_templates(self):
        for (method, _), (path, item, op) in self.operations.items():
            with self.subTest(operation=method.upper() + " " + path):
                declared = set()
                for p in list(item.get("parameters", [])) + list(op.get("parameters", [])):
                    p = self.resolve(p)
                    if p["in"] == "path":
                        self.assertTrue(p.get("required"), "path parameter %s must be required" % p["name"])
                        declared.add(p["name"])
                self.assertEqual(set(re.findall(r"\{([^}]+)\}", path)), declared)

    # Against the code.

    def test_every_route_of_the_server_is_documented(self):
        routes = code_routes()
        self.assertGreater(len(routes), 40, "the route scan found too little; has the route table moved?")
        missing = sorted(r for r in routes if r not in self.operations)
        self.assertEqual(missing, [], "routes of server/ missing from docs/openapi.yaml")

    def test_every_documented_operation_is_routed(self):
        routes = code_routes()
        extra = sorted(k for k in self.operations if k not in routes)
        self.assertEqual(extra, [], "operations of docs/openapi.yaml that the server does not route")

    # Against the contract.

    def test_contract_operations_and_statuses_are_documented(self):
        for method, path, statuses in CONTRACT_OPERATIONS:
            with self.subTest(operation=method.upper() + " " + path):
                op = self.operation(method, path)
                documented = {int(s) for s in op["responses"]}
                self.assertEqual(statuses - documented, set())

    def test_contract_media_types(self):
        for method, path, status, media in CONTRACT_MEDIA:
            with self.subTest(operation=method.upper() + " " + path):
                content = self.resolve(self.operation(method, path)["responses"][status]).get("content", {})
                self.assertTrue(any(k.split(";")[0].strip() == media for k in content), sorted(content))

    def test_contract_field_names(self):
        for method, path, where, fields in CONTRACT_FIELDS:
            schema = self.json_schema_of(method, path, where)
            for f in fields:
                with self.subTest(operation=method.upper() + " " + path, where=where, field=f):
                    self.field(schema, f)

    def test_contract_enumerations(self):
        for method, path, where, name, values in CONTRACT_ENUMS:
            with self.subTest(operation=method.upper() + " " + path, field=name):
                self.assertEqual(self.enum_of(self.field(self.json_schema_of(method, path, where), name)), values)
        for method, path, where, name, values in CONTRACT_ENUMS_AT_LEAST:
            with self.subTest(operation=method.upper() + " " + path, field=name):
                if where == "parameter":
                    params = [self.resolve(p) for p in self.operation(method, path).get("parameters", [])]
                    schema = next(p["schema"] for p in params if p["name"] == name)
                else:
                    schema = self.field(self.json_schema_of(method, path, where), name)
                self.assertEqual(values - self.enum_of(schema), set())

    def test_events_never_document_a_join_url_or_passcode(self):
        for method, path in [("get", "/api/v1/events/{}"), ("get", "/api/v1/events"), ("post", "/api/v1/events"),
                             ("patch", "/api/v1/events/{}")]:
            status = "201" if method == "post" else "200"
            schema = self.json_schema_of(method, path, status)
            event = self.field(schema, "events[]") if path == "/api/v1/events" and method == "get" else schema
            online = self.properties(self.field(event, "online"))
            self.assertNotIn("join_url", online)
            self.assertNotIn("passcode", online)

    def test_error_body_and_codes(self):
        error = self.spec["components"]["schemas"]["Error"]
        self.assertIn("error", error["required"])
        inner = self.resolve(error["properties"]["error"])
        self.assertEqual(set(inner["required"]) >= {"code", "message"}, True)
        self.assertIn("fields", inner["properties"])
        self.assertIn("alternatives", error["properties"])
        self.assertTrue(set(CONTRACT_ERRORS) <= set(inner["properties"]["code"]["enum"]))
        for status in set(CONTRACT_ERRORS.values()):
            self.assertTrue(any(str(status) in op["responses"] for _, _, op in self.operations.values())
                            or status == 405, "no operation documents %d" % status)
        not_allowed = self.resolve({"$ref": "#/components/responses/MethodNotAllowed"})
        self.assertIn("Allow", not_allowed["headers"])

    def test_every_error_response_has_the_error_body(self):
        for (method, _), (path, _, op) in self.operations.items():
            for status, response in op["responses"].items():
                if int(status) < 400 or path == "/healthz":
                    continue
                with self.subTest(operation=method.upper() + " " + path, status=status):
                    content = self.resolve(response).get("content", {})
                    self.assertIn("application/json", content)
                    self.assertEqual(self.resolve(content["application/json"]["schema"]),
                                     self.spec["components"]["schemas"]["Error"])

    def test_rate_limited_and_unavailable_answers_carry_retry_after(self):
        for (method, _), (path, _, op) in self.operations.items():
            for status in ("429", "503"):
                if status in op["responses"] and path != "/healthz":
                    with self.subTest(operation=method.upper() + " " + path, status=status):
                        self.assertIn("Retry-After", self.resolve(op["responses"][status]).get("headers", {}))
        for method, path in [("post", "/api/v1/auth/login"), ("post", "/api/v1/events/{}/registrations"), ("post", "/api/v1/checkin"),
                             ("post", "/api/v1/checkin/batch")]:
            self.assertIn("429", self.operation(method, path)["responses"])

    def test_json_bodies_document_400_413_and_415(self):
        for (method, _), (path, _, op) in self.operations.items():
            body = self.resolve(op.get("requestBody", {}))
            if "application/json" in body.get("content", {}):
                with self.subTest(operation=method.upper() + " " + path):
                    self.assertTrue({"400", "413", "415"} <= set(op["responses"]), sorted(op["responses"]))

    def test_api_operations_document_internal_errors(self):
        for (method, _), (path, _, op) in self.operations.items():
            if path.startswith("/api/") and not path.endswith("/live"):
                with self.subTest(operation=method.upper() + " " + path):
                    self.assertIn("500", op["responses"])

    def test_credentials_of_organizer_and_checkin_endpoints(self):
        schemes = self.spec["components"]["securitySchemes"]
        self.assertEqual((schemes["bearerAuth"]["type"], schemes["bearerAuth"]["scheme"]), ("http", "bearer"))
        self.assertEqual((schemes["cookieAuth"]["type"], schemes["cookieAuth"]["in"]), ("apiKey", "cookie"))
        self.assertEqual((schemes["csrfToken"]["in"], schemes["csrfToken"]["name"]), ("header", "X-CSRF-Token"))
        for method, path in CONTRACT_ORGANIZER + CONTRACT_CHECKIN:
            with self.subTest(operation=method.upper() + " " + path):
                op = self.operation(method, path)
                security = op.get("security", self.spec.get("security", []))
                self.assertTrue(security and {} not in security, "needs credentials")
                self.assertTrue({"401", "403"} <= set(op["responses"]))
                if method != "get" and (method, path) in CONTRACT_ORGANIZER:
                    self.assertIn({"cookieAuth": [], "csrfToken": []}, security, "cookie writes need X-CSRF-Token")
        for (method, _), (path, _, op) in self.operations.items():
            security = op.get("security", self.spec.get("security", []))
            if security and {} not in security:
                with self.subTest(operation=method.upper() + " " + path):
                    self.assertIn("401", op["responses"])
            if path.startswith("/api/") and "{" in path:
                with self.subTest(operation=method.upper() + " " + path):
                    self.assertIn("404", op["responses"])

    def test_registration_conflicts(self):
        response = self.resolve(self.operation("post", "/api/v1/events/{}/registrations")["responses"]["409"])
        examples = response["content"]["application/json"].get("examples", {})
        codes = {self.resolve(e)["value"]["error"]["code"] for e in examples.values()}
        self.assertEqual(codes, {"full", "already_registered", "conflict"})
        self.assertTrue(any("alternatives" in self.resolve(e)["value"] for e in examples.values()))
        header = self.resolve(self.operation("post", "/api/v1/events/{}/registrations")["parameters"][0])
        self.assertEqual((header["in"], header["name"]), ("header", "Idempotency-Key"))

    # A real validator, when the docs tools are installed (make docs-deps).

    def test_a_real_openapi_validator_accepts_the_document(self):
        if not os.path.isdir(os.path.join(ROOT, "docs", "node_modules", "@apidevtools", "swagger-parser")):
            self.skipTest("docs/node_modules is not installed (make docs-deps)")
        node = shutil.which("node")
        if not node:
            self.skipTest("node is not installed")
        out = subprocess.run([node, os.path.join("docs", "validate.mjs")], cwd=ROOT, capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)



class Conformance:
    """A small JSON Schema checker for the keywords docs/openapi.yaml uses (the standard library has none)."""

    TYPES = {"null": lambda v: v is None, "boolean": lambda v: isinstance(v, bool),
             "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
             "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), "string": lambda v: isinstance(v, str),
             "array": lambda v: isinstance(v, list), "object": lambda v: isinstance(v, dict)}

    def __init__(self, spec):
        self.spec = spec

    def resolve(self, schema):
        while isinstance(schema, dict) and "$ref" in schema:
            node = self.spec
            for part in schema["$ref"][2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            schema = node
        return schema

    def problems(self, value, schema, at="$"):
        schema = self.resolve(schema)
        out = []
        for part in schema.get("allOf", []):
            out += self.problems(value, part, at)
        for key in ("anyOf", "oneOf"):
            if key in schema and not any(not self.problems(value, part, at) for part in schema[key]):
                best = min((self.problems(value, part, at) for part in schema[key]), key=len)
                out.append("%s matches none of %s: %s" % (at, key, "; ".join(best[:3])))
        if "const" in schema and value != schema["const"]:
            out.append("%s is %r, not %r" % (at, value, schema["const"]))
        if "enum" in schema and value not in schema["enum"]:
            out.append("%s is %r, not one of %r" % (at, value, schema["enum"]))
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(self.TYPES[t](value) for t in types):
                return out + ["%s is %r, not of type %s" % (at, value, "/".join(types))]
        if isinstance(value, dict):
            props = schema.get("properties", {})
            out += ["%s lacks %r" % (at, k) for k in schema.get("required", []) if k not in value]
            for k, v in value.items():
                if k in props:
                    out += self.problems(v, props[k], at + "." + k)
                elif schema.get("additionalProperties") is False:
                    out.append("%s has the undocumented member %r" % (at, k))
                elif isinstance(schema.get("additionalProperties"), dict):
                    out += self.problems(v, schema["additionalProperties"], at + "." + k)
        if isinstance(value, list) and "items" in schema:
            for i, v in enumerate(value):
                out += self.problems(v, schema["items"], "%s[%d]" % (at, i))
        if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
            out.append("%s %r does not match %s" % (at, value, schema["pattern"]))
        return out


class LiveAnswersMatchTheDocument(unittest.TestCase):
    """Walks every API endpoint of a real server (answers of success and of failure) and checks each answer
    against the document: a documented status, a documented media type, and the documented JSON shape."""

    @classmethod
    def setUpClass(cls):
        with open(SPEC_PATH, encoding="utf-8") as f:
            cls.spec = yaml.safe_load(f)
        cls.schemas = Conformance(cls.spec)
        cls.server = support.Server()
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def operation(self, method, path):
        for template, item in self.spec["paths"].items():
            pattern = "^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template)) + "$"
            if re.match(pattern, path) and method.lower() in item:
                return template, item[method.lower()]
        return None, None

    def call(self, client, method, path, body=None, **kw):
        res = client.request(method, path, body=body, **kw)
        template, op = self.operation(method, path.split("?")[0])
        where = "%s %s -> %d" % (method, path, res.status)
        self.assertIsNotNone(op, "%s: not documented" % where)
        self.assertIn(str(res.status), op["responses"], "%s: status not documented: %r" % (where, res.body[:300]))
        response = self.schemas.resolve(op["responses"][str(res.status)])
        content = response.get("content", {})
        media = (res.header("Content-Type") or "").split(";")[0].strip()
        if content:
            self.assertIn(media, [k.split(";")[0].strip() for k in content], where)
        if media == "application/json" and "application/json" in content:
            problems = self.schemas.problems(res.json(), content["application/json"]["schema"])
            self.assertEqual(problems, [], "%s: the answer does not match the document" % where)
        return res

    def test_every_endpoint_answers_as_documented(self):
        s, api, anon = self.server, self.server.api, self.server.anon
        call = self.call
        call(anon, "GET", "/healthz")
        call(anon, "GET", "/metrics")
        call(api, "GET", "/api/v1/auth/me")
        call(anon, "GET", "/api/v1/auth/me")
        call(anon, "POST", "/api/v1/auth/login", {"email": "nobody@example.org", "password": "wrong password"})
        call(anon, "POST", "/api/v1/auth/login", {"email": "nobody@example.org"})
        call(api, "GET", "/api/v1/users")
        user = call(api, "POST", "/api/v1/users", {"email": "org-%s@example.org" % os.getpid(), "name": "Org", "role": "organizer",
                                                  "password": "a long enough password"}).json()
        call(api, "PATCH", "/api/v1/users/%d" % user["id"], {"name": "Organizer Two"})
        call(api, "POST", "/api/v1/users", {"email": user["email"], "name": "Org", "role": "organizer", "password": "a long enough password"})
        call(api, "PATCH", "/api/v1/users/999999", {"name": "Nobody"})

        body = support.event_body(in_person=1, online=1, speakers=[{"id": "amina", "name": "Dr. Amina Diallo", "bio": {"en": "Physician."}}],
                                  partners=[{"name": "Ontario Health", "role": "sponsor", "url": "https://example.org"}])
        body["sessions"] = [{"title": {"en": "Panel"}, "starts_at": body["starts_at"], "ends_at": body["ends_at"], "room": "A",
                             "speakers": ["amina"]}]
        event = call(api, "POST", "/api/v1/events", body).json()
        eid = event["id"]
        call(api, "POST", "/api/v1/events", {"title": {"en": "No format"}})
        call(anon, "POST", "/api/v1/events", body)
        call(anon, "POST", "/api/v1/events", raw=b"{}", content_type="text/plain")
        call(anon, "GET", "/api/v1/events/%d" % eid)
        call(api, "POST", "/api/v1/events/%d/publish" % eid)
        call(anon, "GET", "/api/v1/events/%s?lang=fr" % event["slug"])
        call(api, "GET", "/api/v1/events/%d" % eid)
        call(anon, "GET", "/api/v1/events?upcoming=true&lang=en")
        call(anon, "GET", "/api/v1/events?past=true")
        call(api, "GET", "/api/v1/events?scope=managed")
        call(anon, "GET", "/api/v1/events?scope=everything")
        call(api, "GET", "/api/v1/events/%d/settings" % eid)
        call(api, "PATCH", "/api/v1/events/%d" % eid, {"capacity": {"in_person": 1, "online": 2}})

        reg = {"name": "Amina Diallo", "email": "amina@example.org", "mode": "in_person", "language": "fr", "consent": True,
               "answers": {"profession": "Nurse", "province": "on"}}
        path = "/api/v1/events/%d/registrations" % eid
        first = call(anon, "POST", path, reg, headers={"Idempotency-Key": "conformance-1"}).json()
        call(anon, "POST", path, reg, headers={"Idempotency-Key": "conformance-1"})
        call(anon, "POST", path, dict(reg, name="Someone Else"), headers={"Idempotency-Key": "conformance-1"})
        call(anon, "POST", path, reg)
        call(anon, "POST", path, dict(reg, email="full@example.org"))
        waiting = call(anon, "POST", path, dict(reg, email="wait@example.org", waitlist=True)).json()
        online = call(anon, "POST", path, dict(reg, email="online@example.org", mode="online")).json()
        call(anon, "POST", path, dict(reg, email="not an email", consent=False))
        call(anon, "POST", "/api/v1/events/no-such-event/registrations", reg)
        for token in (first["manage_token"], waiting["manage_token"], online["manage_token"]):
            call(anon, "GET", "/api/v1/registrations/%s" % token)
        token = first["manage_token"]
        for suffix in ("ticket.svg", "ticket.png", "calendar.ics", "data"):
            call(anon, "GET", "/api/v1/registrations/%s/%s" % (token, suffix))
        call(anon, "GET", "/api/v1/registrations/no-such-token")
        call(anon, "POST", "/api/v1/registrations/%s/switch" % online["manage_token"], {"mode": "in_person"})
        call(anon, "POST", "/api/v1/registrations/%s/switch" % online["manage_token"], {"mode": "by pigeon"})
        call(api, "GET", path + "?status=confirmed&mode=in_person&q=amina&sort=-name")
        call(api, "GET", path + "?status=bogus")
        call(api, "GET", "/api/v1/events/%d/registrations.csv" % eid)
        call(anon, "GET", path)

        link = call(api, "POST", "/api/v1/events/%d/checkin-links" % eid, {"label": "Front door"}).json()
        call(api, "POST", "/api/v1/events/%d/checkin-links" % eid, {"expires_at": "2001-01-01T00:00:00Z"})
        call(api, "GET", "/api/v1/events/%d/checkin-links" % eid)
        door = link["token"]
        call(anon, "POST", "/api/v1/checkin", {"ticket_code": first["ticket_code"], "device_id": "phone-1"}, token=door)
        call(anon, "POST", "/api/v1/checkin", {"ticket_code": first["ticket_code"]}, token=door)
        call(anon, "POST", "/api/v1/checkin", {"ticket_code": waiting["ticket_code"]}, token=door)
        call(anon, "POST", "/api/v1/checkin", {"ticket_code": "no-such-ticket"}, token=door)
        call(anon, "POST", "/api/v1/checkin", {"ticket_code": "no-such-ticket"})
        call(api, "POST", "/api/v1/checkin", {"ticket_code": "no-such-ticket"})
        call(anon, "GET", "/api/v1/events/%d/report" % eid, token=door)
        scans = [{"ticket_code": first["ticket_code"], "nonce": "n1", "scanned_at": "2020-01-01T09:00:00Z", "device_id": "phone-1"},
                 {"ticket_code": "no-such-ticket", "nonce": "n2"}, {"ticket_code": waiting["ticket_code"], "nonce": "n3"}]
        call(anon, "POST", "/api/v1/checkin/batch", {"scans": scans}, token=door)
        call(anon, "POST", "/api/v1/checkin/batch", {"scans": "no"}, token=door)
        call(anon, "GET", "/api/v1/checkin/session", token=door)
        call(anon, "GET", "/api/v1/checkin/roster?access_token=" + door)
        call(anon, "GET", "/api/v1/events/%d/checkin/search?q=amina" % eid, token=door)
        call(anon, "GET", "/api/v1/events/%d/checkin/search?q=a" % eid, token=door)
        call(api, "GET", "/api/v1/events/%d/checkin/counts" % eid)
        call(anon, "DELETE", "/api/v1/checkin/%s" % first["ticket_code"], token=door)
        call(anon, "DELETE", "/api/v1/checkin/%s" % first["ticket_code"], token=door)

        call(api, "GET", "/api/v1/events/%d/report" % eid)
        call(api, "GET", "/api/v1/audit?limit=5")
        call(api, "GET", "/api/v1/audit?event=no-such-event")
        call(api, "GET", "/api/v1/events/%d/organizers" % eid)
        call(api, "POST", "/api/v1/events/%d/organizers" % eid, {"email": user["email"]})
        call(api, "POST", "/api/v1/events/%d/organizers" % eid, {"email": "nobody@example.org"})
        call(api, "DELETE", "/api/v1/events/%d/organizers/%d" % (eid, user["id"]))
        call(api, "DELETE", "/api/v1/events/%d/organizers/%d" % (eid, event["owner_id"]))
        call(api, "POST", "/api/v1/events/%d/registrations/%d/promote" % (eid, waiting["id"]))
        call(api, "POST", "/api/v1/events/%d/registrations/%d/promote" % (eid, waiting["id"]))
        call(api, "POST", "/api/v1/events/%d/registrations/%d/move" % (eid, waiting["id"]), {"mode": "online"})
        call(api, "POST", "/api/v1/events/%d/registrations/%d/cancel" % (eid, waiting["id"]))

        messages = call(api, "GET", "/api/v1/outbox").json()["messages"]
        call(api, "GET", "/api/v1/outbox?status=failed")
        call(api, "GET", "/api/v1/outbox?status=bogus")
        call(api, "GET", "/api/v1/events/%d/outbox?status=pending" % eid)
        if messages:
            call(api, "POST", "/api/v1/outbox/%d/retry" % messages[0]["id"])
        call(api, "POST", "/api/v1/outbox/999999/retry")
        call(api, "POST", "/api/v1/events/%d/outbox/retry" % eid)

        call(api, "POST", "/api/v1/events/%d/checkin-links/%d/revoke" % (eid, link["id"]))
        call(anon, "POST", "/api/v1/checkin", {"ticket_code": first["ticket_code"]}, token=door)
        call(anon, "POST", "/api/v1/registrations/%s/cancel" % token)
        call(anon, "GET", "/api/v1/registrations/%s/ticket.svg" % token)
        call(anon, "DELETE", "/api/v1/registrations/%s" % online["manage_token"])
        call(anon, "GET", "/api/v1/registrations/%s" % online["manage_token"])
        call(api, "POST", "/api/v1/events/%d/duplicate" % eid, {"shift_days": 7})
        call(api, "POST", "/api/v1/events/%d/cancel" % eid)
        call(api, "POST", "/api/v1/events/%d/publish" % eid)
        call(api, "PATCH", "/api/v1/events/%d" % eid, {"capacity": {"in_person": 0}})
        call(anon, "POST", "/api/v1/integrations/zoom/webhook", {"event": "endpoint.url_validation"})
        call(api, "POST", "/api/v1/auth/logout", headers={"Cookie": "ensemble_session=" + s.token}, token="")
        not_allowed = call(anon, "DELETE", "/api/v1/events") if self.operation("DELETE", "/api/v1/events")[1] else None
        self.assertIsNone(not_allowed)
        res = anon.request("PUT", "/api/v1/events")
        self.assertEqual((res.status, res.json()["error"]["code"]), (405, "method_not_allowed"))
        self.assertEqual(self.schemas.problems(res.json(), {"$ref": "#/components/schemas/Error"}), [])
        call(api, "POST", "/api/v1/auth/logout")
        call(api, "GET", "/api/v1/auth/me")


if __name__ == "__main__":
    unittest.main()
