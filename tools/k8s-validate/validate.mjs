// Validates rendered Kubernetes objects against the Kubernetes, KEDA and prometheus-operator schemas.
//
//   node tools/k8s-validate/validate.mjs <input.json>
//
// input.json: [{ "render": "<name>", "kubernetes": "latest" | "minimum", "documents": [<object>, ...] }, ...]
// Prints one line per problem ("<render> [<kubernetes>] #<index> <kind>/<name>: <message>") and exits 1 when there is any.
//
// Two checks per object, because each catches what the other misses:
//  1. the package's compiled JSON-schema validator (types, required fields, enums, formats), which does not
//     flag unknown fields;
//  2. a TypeScript compile of the object as a literal of the package's interface, whose excess-property check
//     flags every field the API version does not have (a typo, or a field newer than the minimum version).
// "latest" uses kubernetes-models 5.x, "minimum" 4.1.0 (Kubernetes 1.25, the chart's kubeVersion floor).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const ts = require("typescript");

const corePackage = { latest: "kubernetes-models", minimum: "kubernetes-models-1.25" };
// Custom resources: one version of each package, whatever the Kubernetes version.
const crdPackages = {
  "keda.sh": "@kubernetes-models/keda",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

/** The module of an object's model, e.g. kubernetes-models/apps/v1/Deployment. */
function modulePath(kubernetes, apiVersion, kind) {
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  if (crdPackages[group]) return `${crdPackages[group]}/${apiVersion}/${kind}`;
  return `${corePackage[kubernetes]}/${apiVersion}/${kind}`;
}

const renders = JSON.parse(readFileSync(process.argv[2], "utf8"));
const problems = [];
const typeChecks = [];

for (const render of renders) {
  for (const [index, doc] of render.documents.entries()) {
    const where = `${render.render} [${render.kubernetes}] #${index} ${doc?.kind}/${doc?.metadata?.name}`;
    if (!doc || typeof doc.apiVersion !== "string" || typeof doc.kind !== "string") {
      problems.push(`${where}: no apiVersion or kind`);
      continue;
    }
    const module = modulePath(render.kubernetes, doc.apiVersion, doc.kind);
    let model;
    try {
      model = (await import(module))[doc.kind];
    } catch {
      problems.push(`${where}: ${doc.apiVersion} ${doc.kind} does not exist in ${module.split("/" + doc.apiVersion)[0]}`);
      continue;
    }
    try {
      new model(doc).validate();
    } catch (e) {
      problems.push(`${where}: ${e.message}`);
    }
    typeChecks.push({ where, module, kind: doc.kind, doc });
  }
}

// One program for every object: the compiler's start-up dominates, so compile once.
const work = join(here, "work");
mkdirSync(work, { recursive: true });
const file = join(work, `check-${process.pid}.ts`);
const lines = [];
const lineOwners = [];
typeChecks.forEach((c, i) => {
  const source = `const o${i}: import(${JSON.stringify(c.module)}).I${c.kind} = ${JSON.stringify(c.doc, null, 1)};`;
  for (const line of source.split("\n")) {
    lines.push(line);
    lineOwners.push(c.where);
  }
});
lines.push("export {};");
writeFileSync(file, lines.join("\n"));
try {
  const program = ts.createProgram([file], {
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
    types: [],
  });
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (d.file && d.file.fileName === file && d.start !== undefined) {
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      problems.push(`${lineOwners[line]}: ${lines[line].trim()} -> ${message}`);
    } else {
      problems.push(`typescript: ${message}`);
    }
  }
} finally {
  rmSync(file, { force: true });
}

for (const p of problems) console.log(p);
console.log(`checked ${typeChecks.length} objects, ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);
