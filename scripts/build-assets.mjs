// Builds the front-end assets into static/dist/ (build output, not in git).
//
//   npm ci && npm run build
//
// - app.css                  static/src/app.scss compiled with dart-sass (compressed)
// - report-pdf.css           static/src/report-pdf.scss: the annual report's PDF (WeasyPrint)
// - govuk-frontend.min.js    govuk-frontend's ES module bundle (+ source map)
// - htmx.min.js              htmx, loaded as a classic script
// - app.js                   static/src/app.js, an ES module importing ./govuk-frontend.min.js
//                              and ./counting.js by their content hash in the name (counting.<hash>.js), as
//                              forum/web/assets.py addresses the files pages link to, so
//                              browsers keep them all without asking
// - counting.js              static/src/counting.js, imported by app.js: words and characters
//
// Any failure (Sass error, missing file, a url() in app.css that does not
// resolve, a GDS Transport font creeping back in) exits non-zero.

import { createHash } from 'node:crypto'
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const nodeModules = path.join(root, 'node_modules')
const srcDir = path.join(root, 'static', 'src')
const outDir = path.join(root, 'static', 'dist')
// URL path under which Flask serves outDir.
const outUrl = '/static/dist/'

const started = performance.now()
const rel = (file) => path.relative(root, file)

class BuildError extends Error {}

async function report(file) {
  const { size } = await stat(file)
  const human = size >= 1024 ? `${(size / 1024).toFixed(1)} KiB` : `${size} B`
  console.log(`  ${rel(file).padEnd(40)} ${human.padStart(10)}`)
}

async function copy(from, to, { optional = false } = {}) {
  if (!existsSync(from)) {
    if (optional) return
    throw new BuildError(`missing input ${rel(from)} (did \`npm ci\` run?)`)
  }
  await copyFile(from, to)
  await report(to)
}

function compileCss(name = 'app') {
  const entry = path.join(srcDir, `${name}.scss`)
  let result
  try {
    result = sass.compile(entry, {
      style: 'compressed',
      loadPaths: [nodeModules],
      // Deprecation warnings from govuk-frontend are not ours to fix; ours
      // still print.
      quietDeps: true,
      sourceMap: false,
    })
  } catch (error) {
    // sass.Exception carries the file, line and a code excerpt.
    throw new BuildError(`Sass failed:\n${error.message ?? error}`)
  }
  return result.css
}

// Every url() in the CSS must be a data: URI or a file that this build wrote
// under static/dist/; and no webfont may sneak back in (we use Arial).
function checkCss(css, name = 'app') {
  const problems = []
  if (/@font-face/i.test(css)) problems.push('contains @font-face (fonts must stay Arial only)')
  if (/GDS Transport/i.test(css)) problems.push('mentions "GDS Transport"')
  for (const match of css.matchAll(/\burl\(\s*(['"]?)(.*?)\1\s*\)/g)) {
    const url = match[2]
    if (url.startsWith('data:') || url.startsWith('#')) continue
    const file = url.startsWith(outUrl) ? path.join(outDir, url.slice(outUrl.length).split(/[?#]/)[0]) : null
    if (!file || !existsSync(file)) problems.push(`url(${url}) does not resolve to a file in ${rel(outDir)}/`)
  }
  if (problems.length) throw new BuildError(`static/dist/${name}.css:\n  - ${problems.join('\n  - ')}`)
}

// The same 12 hex digits of sha256 as forum/web/assets.py's content_hash.
async function contentHash(file) {
  return createHash('sha256').update(await readFile(file)).digest('hex').slice(0, 12)
}

async function writeAppJs() {
  let source = await readFile(path.join(srcDir, 'app.js'), 'utf8')
  for (const name of ['govuk-frontend.min.js', 'counting.js']) {
    const imported = `'./${name}'`
    if (!source.includes(imported)) throw new BuildError(`static/src/app.js no longer imports ${imported}`)
    const hash = await contentHash(path.join(outDir, name))
    const dot = name.lastIndexOf('.')
    source = source.replaceAll(imported, `'./${name.slice(0, dot)}.${hash}${name.slice(dot)}'`)
  }
  const file = path.join(outDir, 'app.js')
  await writeFile(file, source)
  await report(file)
}

async function build() {
  await rm(outDir, { recursive: true, force: true })
  await mkdir(outDir, { recursive: true })

  console.log(`Building ${rel(outDir)}/`)

  const govukDist = path.join(nodeModules, 'govuk-frontend', 'dist', 'govuk')
  await copy(path.join(govukDist, 'govuk-frontend.min.js'), path.join(outDir, 'govuk-frontend.min.js'))
  await copy(path.join(govukDist, 'govuk-frontend.min.js.map'), path.join(outDir, 'govuk-frontend.min.js.map'), {
    optional: true,
  })
  await copy(path.join(nodeModules, 'htmx.org', 'dist', 'htmx.min.js'), path.join(outDir, 'htmx.min.js'))
  await copy(path.join(srcDir, 'counting.js'), path.join(outDir, 'counting.js'))
  await writeAppJs()

  // CSS last, so its url() check sees every file the build copied.
  const css = compileCss()
  const cssFile = path.join(outDir, 'app.css')
  checkCss(css)
  await writeFile(cssFile, css)
  await report(cssFile)
  // The annual report's PDF (WeasyPrint): a small print-only stylesheet of its own, so the
  // PDF is not made from every screen rule of the site.
  const pdfCss = compileCss('report-pdf')
  const pdfCssFile = path.join(outDir, 'report-pdf.css')
  checkCss(pdfCss, 'report-pdf')
  await writeFile(pdfCssFile, pdfCss)
  await report(pdfCssFile)

  const { version: govukVersion } = JSON.parse(
    await readFile(path.join(nodeModules, 'govuk-frontend', 'package.json'), 'utf8'),
  )
  const { version: htmxVersion } = JSON.parse(await readFile(path.join(nodeModules, 'htmx.org', 'package.json'), 'utf8'))
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(`Done in ${seconds}s (govuk-frontend ${govukVersion}, htmx ${htmxVersion}, sass ${sass.info.split('\t')[1]})`)
}

try {
  await build()
} catch (error) {
  console.error(`\nbuild-assets: ${error instanceof BuildError ? error.message : (error.stack ?? error)}`)
  process.exitCode = 1
}
