// Builds the reference app (web/app/) into web/dist/app/ with esbuild: one JS and one CSS
// bundle named by content hash (the gateway serves them as immutable), source maps, and
// index.html pointing at them (served no-cache). `make web` runs it; so do the browser tests.
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const web = path.dirname(fileURLToPath(import.meta.url));
const source = path.join(web, "app");
const outdir = path.join(web, "dist", "app");

await rm(outdir, { recursive: true, force: true });
const { metafile } = await build({
  entryPoints: { app: path.join(source, "main.js") },
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: true,
  sourcemap: "linked",
  entryNames: "[name]-[hash]",
  outdir,
  metafile: true,
  absWorkingDir: web,
  // urql reads process.env.NODE_ENV to leave out its development warnings.
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
});

const outputs = Object.keys(metafile.outputs).map((file) => path.basename(file));
const named = (extension) => {
  const found = outputs.find((file) => file.endsWith(extension));
  if (!found) throw new Error(`esbuild wrote no ${extension} file`);
  return `./${found}`;
};
const page = (await readFile(path.join(source, "index.html"), "utf8"))
  .replace("%APP_JS%", named(".js"))
  .replace("%APP_CSS%", named(".css"));
await writeFile(path.join(outdir, "index.html"), page);
console.log(`built ${path.relative(process.cwd(), outdir) || "."}: ${outputs.filter((f) => !f.endsWith(".map")).join(", ")}, index.html`);
